/**
 * VolumeSourceResolver over the REST client: GETs ConfigMaps and Secrets, and POSTs
 * a TokenRequest bound to the pod to `serviceaccounts/<name>/token` for projected
 * tokens. Any failure of the TokenRequest (a missing ServiceAccount, a refused
 * binding) fails the mount, as upstream's kubelet does.
 */
import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';
import { isStatusReason } from '../../api/status.js';
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
      const answer = await client.create(core('serviceaccounts', request.namespace), body, { subresource: 'token' });
      return (answer as { status?: { token?: string } }).status?.token ?? '';
    },
  };
}
