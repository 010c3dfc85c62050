/**
 * What the Job controller reads off one of its pods: the tracking finalizer, the
 * completion index, whether the pod counts as failed, terminating or active, when it
 * finished, and how often its index failed before.
 */
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../api/object.js';

/** A pod as the informer caches it. */
export type PodObject = KubeObject & Pod;
/** A Job as the informer caches it. */
export type JobObject = KubeObject & Job;

/** Upstream `batch.kubernetes.io/job-tracking`: held on every pod until the Job has counted it. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** The annotation (and label) holding an Indexed Job pod's completion index. */
export const COMPLETION_INDEX_KEY = 'batch.kubernetes.io/job-completion-index';
/** Failures of the pod's index before this pod (backoffLimitPerIndex). */
export const INDEX_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-failure-count';
/** Failures of the pod's index an Ignore rule did not count. */
export const INDEX_IGNORED_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-ignored-failure-count';

/** True when the pod still carries the tracking finalizer (it is not counted yet). */
export function hasTrackingFinalizer(pod: PodObject): boolean {
  return pod.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}

/** The pod's completion index, or undefined when it has none (or a malformed one). */
export function completionIndexOf(pod: PodObject): number | undefined {
  const text = pod.metadata.annotations?.[COMPLETION_INDEX_KEY];
  return text !== undefined && /^[0-9]+$/.test(text) ? Number(text) : undefined;
}

/** Upstream `onlyReplaceFailedPods`: replacements wait for the old pod to be Failed, not just terminating. */
export function onlyReplaceFailedPods(job: JobObject): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy !== undefined;
}

/** Upstream `isPodFailed`: Failed, or (unless only Failed pods count) being deleted before it succeeded. */
export function isPodFailed(pod: PodObject, job: JobObject): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return pod.metadata.deletionTimestamp !== undefined && phase !== 'Succeeded';
}

/** Upstream `IsPodActive`: not being deleted and not Succeeded or Failed. */
export function isPodActive(pod: PodObject): boolean {
  const phase = pod.status?.phase;
  return pod.metadata.deletionTimestamp === undefined && phase !== 'Succeeded' && phase !== 'Failed';
}

/** Upstream `IsPodTerminating`: being deleted but not yet Succeeded or Failed. */
export function isPodTerminating(pod: PodObject): boolean {
  const phase = pod.status?.phase;
  return pod.metadata.deletionTimestamp !== undefined && phase !== 'Succeeded' && phase !== 'Failed';
}

/** True when the pod's Ready condition is True. */
export function isPodReady(pod: PodObject): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function latestContainerFinish(statuses: readonly ContainerStatus[]): number | undefined {
  let latest: number | undefined;
  for (const status of statuses) {
    const finished = status.state?.terminated?.finishedAt;
    if (finished === undefined) return undefined;
    latest = Math.max(latest ?? 0, Date.parse(finished));
  }
  return latest;
}

/**
 * Upstream `getFinishedTime` (ms): the last container finish when all finished, else
 * when Ready turned False, else the deletion time less the grace period, else creation.
 */
export function finishedTimeOf(pod: PodObject): number {
  const statuses = pod.status?.containerStatuses ?? [];
  const fromContainers = statuses.length > 0 ? latestContainerFinish(statuses) : undefined;
  if (fromContainers !== undefined) return fromContainers;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'False' && ready.lastTransitionTime !== undefined) return Date.parse(ready.lastTransitionTime);
  if (pod.metadata.deletionTimestamp !== undefined) {
    return Date.parse(pod.metadata.deletionTimestamp) - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  }
  return Date.parse(pod.metadata.creationTimestamp ?? '') || 0;
}

/** The failures of the pod's index before it, from its annotation (0 when absent). */
export function indexFailureCountOf(pod: PodObject): number {
  const text = pod.metadata.annotations?.[INDEX_FAILURE_COUNT_ANNOTATION];
  return text !== undefined && /^[0-9]+$/.test(text) ? Number(text) : 0;
}

/** The ignored failures of the pod's index before it, from its annotation (0 when absent). */
export function indexIgnoredFailureCountOf(pod: PodObject): number {
  const text = pod.metadata.annotations?.[INDEX_IGNORED_FAILURE_COUNT_ANNOTATION];
  return text !== undefined && /^[0-9]+$/.test(text) ? Number(text) : 0;
}
