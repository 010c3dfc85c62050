/**
 * Fetches the ConfigMaps and Secrets a container's environment names, so that the
 * (synchronous) environment assembly of `pod/environment` can read them.
 */
import type { ConfigMap, Container, Secret } from 'kubernetes-types/core/v1.js';
import { isStatusReason } from '../api/status.js';
import type { RestClient } from '../client/index.js';
import type { ConfigMapObject, SecretObject } from './apiObjects.js';
import type { EnvSourceResolver } from './pod/environment.js';

function referencedNames(container: Container): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef?.name !== undefined) configMaps.add(source.configMapRef.name);
    if (source.secretRef?.name !== undefined) secrets.add(source.secretRef.name);
  }
  for (const entry of container.env ?? []) {
    if (entry.valueFrom?.configMapKeyRef?.name !== undefined) configMaps.add(entry.valueFrom.configMapKeyRef.name);
    if (entry.valueFrom?.secretKeyRef?.name !== undefined) secrets.add(entry.valueFrom.secretKeyRef.name);
  }
  return { configMaps, secrets };
}

async function getOrUndefined<T>(fetch: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fetch();
  } catch (err) {
    if (isStatusReason(err, 'NotFound')) return undefined;
    throw err;
  }
}

/** A resolver holding every ConfigMap and Secret `container` references in `namespace` (missing ones absent). */
export async function fetchEnvSources(client: RestClient, namespace: string, container: Container): Promise<EnvSourceResolver> {
  const { configMaps, secrets } = referencedNames(container);
  const cms = new Map<string, ConfigMap>();
  const secs = new Map<string, Secret>();
  await Promise.all([
    ...[...configMaps].map(async (name) => {
      const cm = await getOrUndefined(() => client.get<ConfigMapObject>({ group: '', version: 'v1', resource: 'configmaps', namespace }, name));
      if (cm !== undefined) cms.set(name, cm);
    }),
    ...[...secrets].map(async (name) => {
      const secret = await getOrUndefined(() => client.get<SecretObject>({ group: '', version: 'v1', resource: 'secrets', namespace }, name));
      if (secret !== undefined) secs.set(name, secret);
    }),
  ]);
  return { configMap: (name) => cms.get(name), secret: (name) => secs.get(name) };
}
