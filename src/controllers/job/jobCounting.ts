/**
 * The pure part of a Job sync: which pods finished since the last count, which
 * indexes succeeded or failed, and which failed pods keep their finalizer a little
 * longer (backoffLimitPerIndex: until the replacement of their index exists).
 */
import { hasIndex, parseIntervals, withIndexes, type Interval } from './intervals.js';
import {
  completionIndexOf,
  finishedTimeOf,
  hasTrackingFinalizer,
  indexFailureCountOf,
  isPodActive,
  isPodFailed,
  type JobObject,
  type PodObject,
} from './jobPods.js';
import { matchPodFailurePolicy } from './podFailurePolicy.js';

/** True for an Indexed Job. */
export function isIndexedJob(job: JobObject): boolean {
  return job.spec?.completionMode === 'Indexed';
}

/** True when the pod's completion index is a valid index of the Job. */
export function hasValidIndex(job: JobObject, pod: PodObject): boolean {
  const index = completionIndexOf(pod);
  return index !== undefined && index < (job.spec?.completions ?? 0);
}

/**
 * Upstream `getNewFinishedPods`: pods still holding the tracking finalizer (and not
 * being released already) that finished and are not in the uncounted lists yet.
 */
export function newFinishedPods(
  job: JobObject,
  pods: readonly PodObject[],
  uncounted: { succeeded: ReadonlySet<string>; failed: ReadonlySet<string> },
  releasing: ReadonlySet<string>,
): { succeeded: PodObject[]; failed: PodObject[] } {
  const candidates = pods.filter((p) => hasTrackingFinalizer(p) && !releasing.has(p.metadata.uid ?? '') && (!isIndexedJob(job) || hasValidIndex(job, p)));
  return {
    succeeded: candidates.filter((p) => p.status?.phase === 'Succeeded' && !uncounted.succeeded.has(p.metadata.uid ?? '')),
    failed: candidates.filter((p) => isPodFailed(p, job) && !uncounted.failed.has(p.metadata.uid ?? '')),
  };
}

/** Upstream `getFailJobMessage`: the message of the first failed pod matching a FailJob rule. */
export function failJobMessage(job: JobObject, pods: readonly PodObject[]): string | undefined {
  if (job.spec?.podFailurePolicy === undefined) return undefined;
  for (const pod of pods) {
    if (!isPodFailed(pod, job)) continue;
    const message = matchPodFailurePolicy(job.spec.podFailurePolicy, pod).failJobMessage;
    if (message !== undefined) return message;
  }
  return undefined;
}

/** Upstream `pastBackoffLimitOnFailure`: restartPolicy OnFailure and the running pods' restarts reach backoffLimit. */
export function pastBackoffLimitOnFailure(job: JobObject, pods: readonly PodObject[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const pod of pods) {
    if (pod.status?.phase !== 'Running' && pod.status?.phase !== 'Pending') continue;
    for (const status of [...(pod.status.initContainerStatuses ?? []), ...(pod.status.containerStatuses ?? [])]) restarts += status.restartCount;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** Indexes that succeeded: the ones in status plus succeeded pods still holding the finalizer. */
export function succeededIndexes(job: JobObject, pods: readonly PodObject[]): { previous: Interval[]; current: Interval[] } {
  const completions = job.spec?.completions ?? 0;
  const previous = parseIntervals(job.status?.completedIndexes, completions);
  const fresh = pods.filter((p) => p.status?.phase === 'Succeeded' && hasTrackingFinalizer(p) && hasValidIndex(job, p)).map((p) => completionIndexOf(p) ?? 0);
  return { previous, current: withIndexes(previous, fresh) };
}

/** Upstream `isIndexFailed`: the pod failed and its index may not retry (FailIndex, or backoffLimitPerIndex used up). */
function isIndexFailed(job: JobObject, pod: PodObject): boolean {
  if (!isPodFailed(pod, job)) return false;
  const match = matchPodFailurePolicy(job.spec?.podFailurePolicy, pod);
  if (match.action === 'FailIndex') return true;
  return match.counts && indexFailureCountOf(pod) >= (job.spec?.backoffLimitPerIndex ?? 0);
}

/** Upstream `calculateFailedIndexes`: failed indexes in status plus newly failed ones. */
export function failedIndexes(job: JobObject, pods: readonly PodObject[]): Interval[] {
  const completions = job.spec?.completions ?? 0;
  const previous = parseIntervals(job.status?.failedIndexes, completions);
  const fresh = pods.filter((p) => hasTrackingFinalizer(p) && hasValidIndex(job, p) && isIndexFailed(job, p)).map((p) => completionIndexOf(p) ?? 0);
  return withIndexes(previous, fresh);
}

/**
 * Upstream `getPodsWithDelayedDeletionPerIndex`: per index still to be retried (not
 * succeeded, not failed, no active pod), its last failed pod; that pod keeps its
 * finalizer until the replacement (which inherits its failure count) exists.
 */
export function lastFailedPodPerIndex(job: JobObject, pods: readonly PodObject[], succeeded: readonly Interval[], failed: readonly Interval[]): Map<number, PodObject> {
  const activeIndexes = new Set(pods.filter(isPodActive).map(completionIndexOf));
  const result = new Map<number, PodObject>();
  for (const pod of pods) {
    const index = completionIndexOf(pod);
    if (index === undefined || !hasValidIndex(job, pod) || !hasTrackingFinalizer(pod) || !isPodFailed(pod, job)) continue;
    if (hasIndex(succeeded, index) || hasIndex(failed, index) || activeIndexes.has(index)) continue;
    const current = result.get(index);
    if (current === undefined || finishedTimeOf(current) < finishedTimeOf(pod)) result.set(index, pod);
  }
  return result;
}
