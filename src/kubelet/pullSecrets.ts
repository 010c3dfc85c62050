/**
 * Fetches a pod's imagePullSecrets from the API, in the pod's order. Secrets that do
 * not exist are skipped (upstream pulls with the others and warns), other API errors
 * propagate.
 */
import type { Pod, Secret } from 'kubernetes-types/core/v1.js';
import { isStatusReason } from '../api/status.js';
import type { RestClient } from '../client/index.js';
import type { SecretObject } from './apiObjects.js';

/** The pod's pull secrets that exist, in `spec.imagePullSecrets` order. */
export async function fetchPullSecrets(client: RestClient, pod: Pod): Promise<Secret[]> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const names = (pod.spec?.imagePullSecrets ?? []).map((ref) => ref.name).filter((name): name is string => name !== undefined && name !== '');
  const secrets = await Promise.all(names.map(async (name) => {
    try {
      return await client.get<SecretObject>({ group: '', version: 'v1', resource: 'secrets', namespace }, name);
    } catch (err) {
      if (isStatusReason(err, 'NotFound')) return undefined;
      throw err;
    }
  }));
  return secrets.filter((secret): secret is SecretObject => secret !== undefined);
}
