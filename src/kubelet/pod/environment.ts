/**
 * A container's environment as upstream's kubelet assembles it: envFrom sources in
 * order (prefix applied; every key kept, as upstream 1.32 no longer skips names that are
 * not C identifiers), then env entries in
 * order (plain values with `$(VAR)` expanded against what came before and the service
 * variables; valueFrom resolved), then service variables not already set.
 */
import type { ConfigMap, Container, Pod, Secret } from 'kubernetes-types/core/v1.js';
import { parseQuantity } from '../../api/quantity.js';
import { expandVariables, lookupIn } from './envExpansion.js';
import { podMetadataField } from './metadataField.js';

/** Fetches ConfigMaps and Secrets of the pod's namespace; undefined when not found. */
export interface EnvSourceResolver {
  configMap(name: string): ConfigMap | undefined;
  secret(name: string): Secret | undefined;
}

/** Facts the downward API exposes that are not in the pod object itself. */
export interface DownwardValues {
  nodeName?: string;
  hostIPs?: string[];
  podIPs?: string[];
  /** Node allocatable, used for unset limits (`cpu`, `memory`, `ephemeral-storage`). */
  allocatable?: Record<string, string>;
}

/** The assembled environment. */
export interface ContainerEnvironment {
  /** Variables in first-set order. */
  env: { name: string; value: string }[];
}

/** An env source failed (missing non-optional ConfigMap/Secret/key, bad field path): container start fails with CreateContainerConfigError. */
export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}

function decode(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}

function fieldValue(pod: Pod, path: string, downward: DownwardValues): string {
  const metadata = podMetadataField(pod, path);
  if (metadata !== undefined) return metadata;
  switch (path) {
    case 'spec.nodeName': return downward.nodeName ?? pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP': return downward.hostIPs?.[0] ?? '';
    case 'status.hostIPs': return (downward.hostIPs ?? []).join(',');
    case 'status.podIP': return downward.podIPs?.[0] ?? '';
    case 'status.podIPs': return (downward.podIPs ?? []).join(',');
    default: throw new EnvironmentError(`unsupported fieldPath: ${path}`);
  }
}

function resourceValue(container: Container, resource: string, divisorText: string | undefined, downward: DownwardValues): string {
  const [kind, name] = resource.split('.', 2) as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || (name !== 'cpu' && name !== 'memory' && name !== 'ephemeral-storage')) {
    throw new EnvironmentError(`unsupported container resource : ${resource}`);
  }
  const limit = container.resources?.limits?.[name] ?? downward.allocatable?.[name];
  const raw = kind === 'limits' ? limit : container.resources?.requests?.[name] ?? container.resources?.limits?.[name];
  const value = parseQuantity(String(raw ?? '0'));
  const divisor = parseQuantity(String(divisorText ?? '1'));
  if (name === 'cpu') return String(Math.ceil(value.milliValue() / Math.max(1, divisor.milliValue())));
  return String(Math.ceil(value.value() / Math.max(1, divisor.value())));
}

/**
 * The environment of `container` in `pod`. `serviceEnv` holds the Service variables
 * (used for `$(VAR)` lookups and added last where unset). Every envFrom key becomes a
 * variable named prefix + key. An optional missing ConfigMap/Secret
 * (or key) is skipped; a non-optional one throws EnvironmentError with upstream's text.
 */
export function containerEnvironment(
  pod: Pod,
  container: Container,
  resolver: EnvSourceResolver,
  serviceEnv: ReadonlyMap<string, string> = new Map(),
  downward: DownwardValues = {},
): ContainerEnvironment {
  const namespace = pod.metadata?.namespace ?? '';
  const vars = new Map<string, string>();

  for (const source of container.envFrom ?? []) {
    const prefix = source.prefix ?? '';
    let data: Record<string, string>;
    let name: string;
    if (source.configMapRef !== undefined) {
      name = source.configMapRef.name ?? '';
      const cm = resolver.configMap(name);
      if (cm === undefined) {
        if (source.configMapRef.optional === true) continue;
        throw new EnvironmentError(`configmaps "${name}" not found`);
      }
      data = { ...(cm.data ?? {}) };
    } else if (source.secretRef !== undefined) {
      name = source.secretRef.name ?? '';
      const secret = resolver.secret(name);
      if (secret === undefined) {
        if (source.secretRef.optional === true) continue;
        throw new EnvironmentError(`secrets "${name}" not found`);
      }
      data = Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, decode(v)]));
    } else {
      continue;
    }
    for (const [key, value] of Object.entries(data)) vars.set(prefix + key, value);
  }

  const lookup = lookupIn(vars, serviceEnv);
  for (const entry of container.env ?? []) {
    let value = entry.value ?? '';
    const from = entry.valueFrom;
    if (value !== '') {
      value = expandVariables(value, lookup);
    } else if (from?.fieldRef !== undefined) {
      value = fieldValue(pod, from.fieldRef.fieldPath, downward);
    } else if (from?.resourceFieldRef !== undefined) {
      const target = from.resourceFieldRef.containerName
        ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === from.resourceFieldRef?.containerName) ?? container
        : container;
      value = resourceValue(target, from.resourceFieldRef.resource, from.resourceFieldRef.divisor === undefined ? undefined : String(from.resourceFieldRef.divisor), downward);
    } else if (from?.configMapKeyRef !== undefined) {
      const ref = from.configMapKeyRef;
      const cm = resolver.configMap(ref.name ?? '');
      if (cm === undefined) {
        if (ref.optional === true) continue;
        throw new EnvironmentError(`configmaps "${ref.name ?? ''}" not found`);
      }
      const found = cm.data?.[ref.key];
      if (found === undefined) {
        if (ref.optional === true) continue;
        throw new EnvironmentError(`couldn't find key ${ref.key} in ConfigMap ${namespace}/${ref.name ?? ''}`);
      }
      value = found;
    } else if (from?.secretKeyRef !== undefined) {
      const ref = from.secretKeyRef;
      const secret = resolver.secret(ref.name ?? '');
      if (secret === undefined) {
        if (ref.optional === true) continue;
        throw new EnvironmentError(`secrets "${ref.name ?? ''}" not found`);
      }
      const found = secret.data?.[ref.key];
      if (found === undefined) {
        if (ref.optional === true) continue;
        throw new EnvironmentError(`couldn't find key ${ref.key} in Secret ${namespace}/${ref.name ?? ''}`);
      }
      value = decode(found);
    }
    vars.set(entry.name, value);
  }

  for (const [name, value] of serviceEnv) {
    if (!vars.has(name)) vars.set(name, value);
  }
  return { env: [...vars].map(([name, value]) => ({ name, value })) };
}
