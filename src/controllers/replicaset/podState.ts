/**
 * What the replica controllers need to know about one pod: whether it still counts
 * (active), whether it is Ready, and whether it has been Ready long enough to be
 * available.
 */
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';

/** A pod as the informer caches it. */
export type PodObject = KubeObject & Pod;

/** Upstream `IsPodActive`: not being deleted and not Succeeded or Failed. */
export function isPodActive(pod: PodObject): boolean {
  const phase = pod.status?.phase;
  return pod.metadata.deletionTimestamp === undefined && phase !== 'Succeeded' && phase !== 'Failed';
}

/** The pod's Ready condition, if it has one. */
export function readyCondition(pod: PodObject): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** True when the pod's Ready condition is True. */
export function isPodReady(pod: PodObject): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** Upstream `IsPodAvailable`: Ready, and for longer than `minReadySeconds` at `now` (ms). */
export function isPodAvailable(pod: PodObject, minReadySeconds: number, now: number): boolean {
  const ready = readyCondition(pod);
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = ready.lastTransitionTime === undefined ? NaN : Date.parse(ready.lastTransitionTime);
  return !Number.isNaN(since) && since + minReadySeconds * 1000 < now;
}
