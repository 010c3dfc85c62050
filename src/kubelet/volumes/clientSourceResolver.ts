/**
 * VolumeSourceResolver over the REST client: GETs ConfigMaps and Secrets, and POSTs
 * a TokenRequest to `serviceaccounts/<name>/token` for projected tokens.
 *
 * Fallback: while the API server does not serve the TokenRequest subresource (a 404
 * that names no ServiceAccount, or 405), `createServiceAccountToken` returns undefined
 * and the volume gets an empty placeholder `token` file, so pods with the default
 * kube-api-access volume still start (their in-cluster clients cannot authenticate
 * with it). A missing ServiceAccount (404 naming `serviceaccounts`) still fails the mount.
 */
import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';
import { StatusError, isStatusReason } from '../../api/status.js';
import type { RestClient } from '../../client/restClient.js';
import type { ServiceAccountTokenRequest, VolumeSourceResolver } from './sourceResolver.js';

const core = (resource: string, namespace: string): { group: string; version: string; resource: string; namespace: string } => ({ group: '', version: 'v1', resource, namespace });

async function orUndefinedWhenMissing<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if (isStatusReason(err, 'NotFound')) return undefined;
    throw err;
  }
}

function tokenRequestUnsupported(err: unknown): boolean {
  if (!(err instanceof StatusError)) return false;
  if (err.code === 405) return true;
  return err.code === 404 && err.details?.kind !== 'serviceaccounts';
}

/** A resolver reading through `client` (which needs get on configmaps/secrets and create on serviceaccounts/token). */
export function clientSourceResolver(client: RestClient): VolumeSourceResolver {
  return {
    getConfigMap: (namespace, name) => orUndefinedWhenMissing(client.get(core('configmaps', namespace), name) as Promise<ConfigMap>),
    getSecret: (namespace, name) => orUndefinedWhenMissing(client.get(core('secrets', namespace), name) as Promise<Secret>),
    async createServiceAccountToken(request: ServiceAccountTokenRequest) {
      const body = {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        metadata: { name: request.serviceAccountName, namespace: request.namespace },
        spec: {
          audiences: request.audiences,
          expirationSeconds: request.expirationSeconds,
          boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: request.boundPod.name, uid: request.boundPod.uid },
        },
      };
      try {
        const answer = await client.create(core('serviceaccounts', request.namespace), body, { subresource: 'token' });
        return (answer as { status?: { token?: string } }).status?.token ?? '';
      } catch (err) {
        if (tokenRequestUnsupported(err)) return undefined;
        throw err;
      }
    },
  };
}
