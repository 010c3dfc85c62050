/**
 * The files of the content-projecting volume types (configMap, secret, downwardAPI,
 * projected): sources read through the resolver, turned into one payload. Failures
 * throw VolumeSourceError with the text upstream puts after `MountVolume.SetUp failed
 * for volume "x" : `.
 */
import type { ConfigMap, Pod, Secret, Volume, VolumeProjection } from 'kubernetes-types/core/v1.js';
import type { Payload } from './atomicWriter.js';
import { downwardApiPayload } from './downwardApiPayload.js';
import type { NodeFacts } from './downwardApiPayload.js';
import { VolumeSourceError } from './errors.js';
import { DEFAULT_FILE_MODE, configMapPayload, secretPayload } from './keyToPathPayload.js';
import type { ServiceAccountTokens } from './serviceAccountTokens.js';
import type { VolumeSourceResolver } from './sourceResolver.js';

/** Upstream's default lifetime of a projected token (1 hour). */
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

/** What the payload of a pod's volume is built from. */
export interface ContentInputs {
  resolver: VolumeSourceResolver;
  tokens: ServiceAccountTokens;
  node: NodeFacts;
}

async function configMapOf(inputs: ContentInputs, namespace: string, name: string, optional: boolean): Promise<ConfigMap | undefined> {
  const found = await inputs.resolver.getConfigMap(namespace, name);
  if (found === undefined && !optional) throw new VolumeSourceError(`configmap "${name}" not found`);
  return found;
}

async function secretOf(inputs: ContentInputs, namespace: string, name: string, optional: boolean): Promise<Secret | undefined> {
  const found = await inputs.resolver.getSecret(namespace, name);
  if (found === undefined && !optional) throw new VolumeSourceError(`secret "${name}" not found`);
  return found;
}

async function projectionPayload(pod: Pod, source: VolumeProjection, defaultMode: number, inputs: ContentInputs): Promise<Payload> {
  const namespace = pod.metadata?.namespace ?? '';
  if (source.configMap !== undefined) {
    const optional = source.configMap.optional === true;
    return configMapPayload(await configMapOf(inputs, namespace, source.configMap.name ?? '', optional), source.configMap, defaultMode);
  }
  if (source.secret !== undefined) {
    const optional = source.secret.optional === true;
    return secretPayload(await secretOf(inputs, namespace, source.secret.name ?? '', optional), source.secret, defaultMode);
  }
  if (source.downwardAPI !== undefined) return downwardApiPayload(pod, source.downwardAPI.items ?? [], defaultMode, inputs.node);
  if (source.serviceAccountToken !== undefined) {
    const token = await inputs.tokens.token({
      namespace,
      serviceAccountName: pod.spec?.serviceAccountName ?? 'default',
      audiences: source.serviceAccountToken.audience ? [source.serviceAccountToken.audience] : [],
      expirationSeconds: source.serviceAccountToken.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS,
      boundPod: { name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
    });
    return new Map([[source.serviceAccountToken.path, { data: Buffer.from(token, 'utf8'), mode: defaultMode }]]);
  }
  return new Map();
}

/**
 * The payload of `volume` of `pod`, or undefined when the volume type projects no
 * content (emptyDir, hostPath, …). A projected volume merges its sources in order;
 * when several fail, their messages are joined as upstream's aggregate error does.
 */
export async function volumePayload(pod: Pod, volume: Volume, inputs: ContentInputs): Promise<Payload | undefined> {
  const namespace = pod.metadata?.namespace ?? '';
  if (volume.configMap !== undefined) {
    const source = volume.configMap;
    const found = await configMapOf(inputs, namespace, source.name ?? '', source.optional === true);
    return configMapPayload(found, source, source.defaultMode ?? DEFAULT_FILE_MODE);
  }
  if (volume.secret !== undefined) {
    const source = volume.secret;
    const found = await secretOf(inputs, namespace, source.secretName ?? '', source.optional === true);
    return secretPayload(found, source, source.defaultMode ?? DEFAULT_FILE_MODE);
  }
  if (volume.downwardAPI !== undefined) {
    return downwardApiPayload(pod, volume.downwardAPI.items ?? [], volume.downwardAPI.defaultMode ?? DEFAULT_FILE_MODE, inputs.node);
  }
  if (volume.projected !== undefined) {
    const defaultMode = volume.projected.defaultMode ?? DEFAULT_FILE_MODE;
    const payload: Payload = new Map();
    const errors: string[] = [];
    for (const source of volume.projected.sources ?? []) {
      try {
        for (const [path, file] of await projectionPayload(pod, source, defaultMode, inputs)) payload.set(path, file);
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    if (errors.length === 1) throw new VolumeSourceError(errors[0] as string);
    if (errors.length > 1) throw new VolumeSourceError(`[${errors.join(', ')}]`);
    return payload;
  }
  return undefined;
}
