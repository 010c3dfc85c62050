/**
 * Job conditions as upstream writes them: Complete, Failed and their interim
 * SuccessCriteriaMet and FailureTarget, Suspended, with the upstream reasons and
 * messages.
 */
import type { JobCondition } from 'kubernetes-types/batch/v1.js';
import { apiTime } from '../../api/time.js';
import type { JobObject } from './jobPods.js';

/** Upstream `Job has reached the specified backoff limit`. */
export const BACKOFF_LIMIT_EXCEEDED = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
/** Upstream `Job was active longer than specified deadline`. */
export const DEADLINE_EXCEEDED = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
/** Upstream `MaxFailedIndexesExceeded`. */
export const MAX_FAILED_INDEXES_EXCEEDED = { reason: 'MaxFailedIndexesExceeded', message: 'Job has exceeded the specified maximal number of failed indexes' };
/** Upstream `FailedIndexes`. */
export const FAILED_INDEXES = { reason: 'FailedIndexes', message: 'Job has failed indexes' };
/** Upstream `CompletionsReached`. */
export const COMPLETIONS_REACHED = { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };

/** A True condition of `type` set at `now`. */
export function newCondition(type: string, reason: string, message: string, now: number): JobCondition {
  const at = apiTime(now);
  return { type, status: 'True', reason, message, lastProbeTime: at, lastTransitionTime: at };
}

/** The condition of `type`, if the Job has one. */
export function findCondition(job: JobObject, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type);
}

/** Upstream `IsJobFinished`: Complete or Failed is True. */
export function isJobFinished(job: JobObject): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/**
 * Upstream `ensureJobConditionStatus`: sets condition `type` to `status` with reason
 * and message (a new transition time when the status changes); a False condition is
 * only added when one exists already. Returns the conditions and whether they changed.
 */
export function ensureCondition(
  conditions: readonly JobCondition[],
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: number,
): { conditions: JobCondition[]; changed: boolean } {
  const at = apiTime(now);
  const existing = conditions.find((c) => c.type === type);
  if (existing === undefined) {
    if (status === 'False') return { conditions: [...conditions], changed: false };
    return { conditions: [...conditions, { type, status, reason, message, lastProbeTime: at, lastTransitionTime: at }], changed: true };
  }
  if (existing.status === status && existing.reason === reason && existing.message === message) return { conditions: [...conditions], changed: false };
  const updated: JobCondition = { ...existing, status, reason, message, lastProbeTime: at };
  if (existing.status !== status) updated.lastTransitionTime = at;
  return { conditions: conditions.map((c) => (c === existing ? updated : c)), changed: true };
}
