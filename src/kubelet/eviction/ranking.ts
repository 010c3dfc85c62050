/**
 * Which pod upstream's eviction manager evicts first for each resource:
 * memory and disk — pods using more than they request first, then lower priority,
 * then larger usage above the request; pids — lower priority, then more processes.
 * Critical pods (static, mirror, or at least system-critical priority) are never picked.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { parseQuantity } from '../../api/quantity.js';
import type { ReclaimedResource } from './thresholds.js';

/** One container's observed usage. */
export interface ContainerUsage {
  name: string;
  memoryWorkingSetBytes: number;
  /** Writable layer and logs, bytes. */
  diskBytes: number;
  /** Inodes used by the writable layer. */
  inodes: number;
}

/** One pod's observed usage (from the runtime's stats). */
export interface PodUsage {
  containers: readonly ContainerUsage[];
  /** Processes in the pod (0 when the runtime does not say). */
  processes: number;
}

/** Upstream's scheduling.SystemCriticalPriority. */
export const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

/** True for pods the kubelet never evicts: static and mirror pods, and system-critical priority ones. */
export function isCriticalPod(pod: Pod): boolean {
  const annotations = pod.metadata?.annotations ?? {};
  const source = annotations['kubernetes.io/config.source'];
  if (source !== undefined && source !== 'api') return true;
  if (annotations['kubernetes.io/config.mirror'] !== undefined) return true;
  return (pod.spec?.priority ?? 0) >= SYSTEM_CRITICAL_PRIORITY;
}

/** A container's request of `resource` in bytes (0 when it requests none). */
export function containerRequest(container: Container, resource: 'memory' | 'ephemeral-storage'): number {
  const raw = container.resources?.requests?.[resource] ?? container.resources?.limits?.[resource];
  return raw === undefined ? 0 : parseQuantity(String(raw)).value();
}

/** The pod's effective request: the containers' sum, or the largest init container's when that is more. */
export function podRequest(pod: Pod, resource: 'memory' | 'ephemeral-storage'): number {
  const sum = (pod.spec?.containers ?? []).reduce((total, c) => total + containerRequest(c, resource), 0);
  const init = Math.max(0, ...(pod.spec?.initContainers ?? []).map((c) => containerRequest(c, resource)));
  return Math.max(sum, init);
}

/** The pod's usage of `resource` in the unit of its request. */
export function podUsageOf(usage: PodUsage | undefined, resource: ReclaimedResource): number {
  const containers = usage?.containers ?? [];
  switch (resource) {
    case 'memory':
      return containers.reduce((total, c) => total + c.memoryWorkingSetBytes, 0);
    case 'ephemeral-storage':
      return containers.reduce((total, c) => total + c.diskBytes, 0);
    case 'inodes':
      return containers.reduce((total, c) => total + c.inodes, 0);
    case 'pids':
      return usage?.processes ?? 0;
  }
}

type Comparison = (a: Pod, b: Pod) => number;

const byPriority: Comparison = (a, b) => (a.spec?.priority ?? 0) - (b.spec?.priority ?? 0);

function requestResource(resource: ReclaimedResource): 'memory' | 'ephemeral-storage' | undefined {
  if (resource === 'memory' || resource === 'ephemeral-storage') return resource;
  return undefined;
}

/**
 * The eviction candidates for `resource`, most evictable first; critical pods are
 * left out. `usage` is keyed by pod uid; a pod without stats counts as using nothing.
 */
export function rankForEviction(pods: readonly Pod[], resource: ReclaimedResource, usage: ReadonlyMap<string, PodUsage>): Pod[] {
  const used = (pod: Pod): number => podUsageOf(usage.get(pod.metadata?.uid ?? ''), resource);
  const requested = requestResource(resource);
  const above = (pod: Pod): number => used(pod) - (requested === undefined ? 0 : podRequest(pod, requested));
  const comparisons: Comparison[] = resource === 'pids'
    ? [byPriority, (a, b) => used(b) - used(a)]
    : [(a, b) => Number(above(b) > 0) - Number(above(a) > 0), byPriority, (a, b) => above(b) - above(a)];
  const compare = (a: Pod, b: Pod): number => {
    for (const comparison of comparisons) {
      const result = comparison(a, b);
      if (result !== 0) return result;
    }
    return 0;
  };
  return pods.filter((pod) => !isCriticalPod(pod)).sort(compare);
}
