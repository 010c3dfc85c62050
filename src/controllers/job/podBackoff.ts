/**
 * The pod-recreation backoff of a Job (upstream backoff_utils): after failures the
 * controller waits 10 s, doubling per consecutive failure since the last success, at
 * most 10 minutes (upstream `MaxJobPodFailureBackOff`), counted from the last failure.
 */
import type { Clock } from '../../client/index.js';
import { finishedTimeOf, type PodObject } from './jobPods.js';

/** Upstream `DefaultJobPodFailureBackOff`. */
export const POD_FAILURE_BACKOFF_MS = 10_000;
/** Upstream `MaxJobPodFailureBackOff`. */
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

/** Failures since the last success, and when the last of them happened (ms). */
export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/** The record after newly finished pods: a success resets it, later failures count again. */
export function nextBackoffRecord(previous: BackoffRecord, succeeded: readonly PodObject[], failed: readonly PodObject[]): BackoffRecord {
  const failTimes = failed.map(finishedTimeOf).sort((a, b) => a - b);
  if (succeeded.length === 0) {
    if (failTimes.length === 0) return previous;
    return { failuresAfterLastSuccess: previous.failuresAfterLastSuccess + failTimes.length, lastFailureTime: failTimes[failTimes.length - 1] };
  }
  const lastSuccess = Math.max(...succeeded.map(finishedTimeOf));
  const after = failTimes.filter((t) => t > lastSuccess);
  return after.length === 0 ? { failuresAfterLastSuccess: 0 } : { failuresAfterLastSuccess: after.length, lastFailureTime: after[after.length - 1] };
}

/** Milliseconds still to wait after `failures` consecutive failures, the last at `lastFailureTime`. */
export function remainingBackoffMs(clock: Clock, failures: number, lastFailureTime: number | undefined): number {
  if (failures === 0 || lastFailureTime === undefined) return 0;
  let delay = POD_FAILURE_BACKOFF_MS;
  for (let i = 1; i < failures && delay < MAX_POD_FAILURE_BACKOFF_MS; i++) delay = Math.min(delay * 2, MAX_POD_FAILURE_BACKOFF_MS);
  return Math.max(0, delay - (clock.now() - lastFailureTime));
}
