/**
 * The arithmetic of a PodDisruptionBudget's status, as upstream's disruption
 * controller does it: which evictions are still pending (`disruptedPods`, forgotten
 * after DELETION_TIMEOUT_MS), how many pods are healthy, how many must be, how many
 * disruptions that allows, and the DisruptionAllowed condition.
 */
import type { Condition } from 'kubernetes-types/meta/v1.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { PodObject } from '../replicaset/podState.js';
import { isPodReady } from '../replicaset/podState.js';

/** A budget as the informer caches it. */
export type BudgetObject = KubeObject & PodDisruptionBudget;

/** Upstream `DeletionTimeout`: an approved eviction whose pod is not deleting after this is forgotten. */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

/** The condition type and its reasons. */
export const DISRUPTION_ALLOWED = 'DisruptionAllowed';
export const SUFFICIENT_PODS = 'SufficientPods';
export const INSUFFICIENT_PODS = 'InsufficientPods';
export const SYNC_FAILED = 'SyncFailed';

/** Seconds-precision RFC 3339, as metav1.Time serializes. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * The pending evictions still worth waiting for (upstream `buildDisruptedPodMap`): entries
 * for pods that exist, are not deleting yet, and were approved less than the timeout ago;
 * also the earliest time one of them expires, when the budget must be looked at again.
 */
export function pendingDisruptions(pods: readonly PodObject[], budget: BudgetObject, now: number): { disrupted: Record<string, string>; recheckAt?: number } {
  const recorded = budget.status?.disruptedPods ?? {};
  const disrupted: Record<string, string> = {};
  let recheckAt: number | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    const name = pod.metadata.name ?? '';
    const at = recorded[name];
    if (at === undefined) continue;
    const expires = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (expires < now) continue;
    disrupted[name] = at;
    if (recheckAt === undefined || expires < recheckAt) recheckAt = expires;
  }
  return recheckAt === undefined ? { disrupted } : { disrupted, recheckAt };
}

/** Upstream `countHealthyPods`: Ready pods that are neither deleting nor about to be evicted. */
export function countHealthy(pods: readonly PodObject[], disrupted: Readonly<Record<string, string>>, now: number): number {
  return pods.filter((pod) => {
    if (pod.metadata.deletionTimestamp !== undefined) return false;
    const at = disrupted[pod.metadata.name ?? ''];
    if (at !== undefined && Date.parse(at) + DELETION_TIMEOUT_MS > now) return false;
    return isPodReady(pod);
  }).length;
}

/** Upstream `GetScaledValueFromIntOrPercent` rounding up; throws on a malformed percentage. */
export function scaledValue(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(value);
  if (match === null) throw new Error(`invalid value for IntOrString: invalid value "${value}": must be an integer or percentage (e.g '5%')`);
  return Math.ceil((Number(match[1]) * total) / 100);
}

/** Whether the budget needs the pods' controllers' scale (percentages and maxUnavailable). */
export function needsScale(budget: PodDisruptionBudget): boolean {
  const spec = budget.spec ?? {};
  return spec.maxUnavailable !== undefined || typeof spec.minAvailable === 'string';
}

/** Upstream `getExpectedPodCount`: the expected pods and how many must stay healthy. */
export function expectedAndDesired(budget: PodDisruptionBudget, podCount: number, scale: () => number): { expected: number; desired: number } {
  const spec = budget.spec ?? {};
  if (spec.maxUnavailable !== undefined) {
    const expected = scale();
    return { expected, desired: Math.max(0, expected - scaledValue(spec.maxUnavailable, expected)) };
  }
  if (typeof spec.minAvailable === 'number') return { expected: podCount, desired: spec.minAvailable };
  if (typeof spec.minAvailable === 'string') {
    const expected = scale();
    return { expected, desired: scaledValue(spec.minAvailable, expected) };
  }
  return { expected: 0, desired: 0 };
}

/** Upstream `apimeta.SetStatusCondition`: replaces the condition of the same type, keeping its transition time unless the status changed. */
export function setCondition(conditions: readonly Condition[], wanted: Omit<Condition, 'lastTransitionTime'>, now: number): Condition[] {
  const existing = conditions.find((c) => c.type === wanted.type);
  const lastTransitionTime = existing !== undefined && existing.status === wanted.status ? existing.lastTransitionTime : formatTime(now);
  const next: Condition = { ...wanted, lastTransitionTime };
  return existing === undefined ? [...conditions, next] : conditions.map((c) => (c.type === wanted.type ? next : c));
}

/** Upstream `UpdateDisruptionAllowedCondition` on `status` (whose observedGeneration is set). */
export function withAllowedCondition(status: PodDisruptionBudgetStatus, now: number): PodDisruptionBudgetStatus {
  const allowed = status.disruptionsAllowed > 0;
  const conditions = setCondition(
    status.conditions ?? [],
    {
      type: DISRUPTION_ALLOWED,
      status: allowed ? 'True' : 'False',
      reason: allowed ? SUFFICIENT_PODS : INSUFFICIENT_PODS,
      message: '',
      observedGeneration: status.observedGeneration ?? 0,
    },
    now,
  );
  return { ...status, conditions };
}

/** Upstream `ConditionsAreUpToDate`: the condition matches the allowed count and the observed generation. */
export function conditionUpToDate(status: PodDisruptionBudgetStatus): boolean {
  const condition = status.conditions?.find((c) => c.type === DISRUPTION_ALLOWED);
  if (condition === undefined || condition.observedGeneration !== status.observedGeneration) return false;
  return (status.disruptionsAllowed > 0) === (condition.status === 'True') && condition.reason !== SYNC_FAILED;
}
