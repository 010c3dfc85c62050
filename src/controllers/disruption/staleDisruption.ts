/**
 * Stale DisruptionTarget conditions (upstream `syncStalePodDisruption`): a pod marked
 * as about to be disrupted (condition DisruptionTarget=True) that is still not being
 * deleted two minutes later will not be; the disruption controller then sets the
 * condition back to False.
 */
import type { PodCondition } from 'kubernetes-types/core/v1.js';
import type { PodObject } from '../replicaset/podState.js';

/** Upstream `stalePodDisruptionTimeout`. */
export const STALE_DISRUPTION_TIMEOUT_MS = 2 * 60 * 1000;

function disruptionTarget(pod: PodObject): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
}

/** When `pod`'s DisruptionTarget condition goes stale (ms), or undefined when it has none that can. */
export function staleDisruptionAt(pod: PodObject): number | undefined {
  if (pod.metadata.deletionTimestamp !== undefined) return undefined;
  const condition = disruptionTarget(pod);
  if (condition?.status !== 'True') return undefined;
  const since = condition.lastTransitionTime === undefined ? NaN : Date.parse(condition.lastTransitionTime);
  return Number.isNaN(since) ? 0 : since + STALE_DISRUPTION_TIMEOUT_MS;
}

/** The strategic merge patch that sets the condition back to False at `now` (an RFC 3339 time). */
export function clearDisruptionPatch(now: string): unknown {
  return { status: { conditions: [{ type: 'DisruptionTarget', status: 'False', reason: null, message: null, lastTransitionTime: now }] } };
}
