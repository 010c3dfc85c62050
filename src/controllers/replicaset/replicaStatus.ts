/**
 * The status a replica controller reports (upstream `calculateStatus`): counts of its
 * active pods, fully labeled, Ready and available ones, the generation it acted on,
 * and a ReplicaFailure condition while creating or deleting pods fails.
 */
import type { PodObject } from './podState.js';
import { isPodAvailable, isPodReady } from './podState.js';
import type { ReplicaCondition, ReplicaStatus, ReplicatedObject } from './replicaKinds.js';

/** Upstream `ReplicaSetReplicaFailure`. */
export const REPLICA_FAILURE = 'ReplicaFailure';

const formatTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

const hasAllLabels = (pod: PodObject, wanted: Readonly<Record<string, string>>): boolean =>
  Object.entries(wanted).every(([key, value]) => pod.metadata.labels?.[key] === value);

/**
 * The status of `owner` with these active `pods`, at `now` (ms). `manageError` is the
 * failure of this sync's creations (when too few pods) or deletions (too many).
 */
export function calculateStatus(owner: ReplicatedObject, pods: readonly PodObject[], manageError: unknown, now: number): ReplicaStatus {
  const minReadySeconds = owner.spec?.minReadySeconds ?? 0;
  const templateLabels = owner.spec?.template?.metadata?.labels ?? {};
  const status: ReplicaStatus = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter((pod) => hasAllLabels(pod, templateLabels)).length,
    readyReplicas: pods.filter(isPodReady).length,
    availableReplicas: pods.filter((pod) => isPodAvailable(pod, minReadySeconds, now)).length,
    observedGeneration: owner.metadata.generation ?? 0,
  };
  const conditions = (owner.status?.conditions ?? []).filter((c) => c.type !== REPLICA_FAILURE);
  const failure = owner.status?.conditions?.find((c) => c.type === REPLICA_FAILURE);
  if (manageError !== undefined) {
    const tooFew = pods.length < (owner.spec?.replicas ?? 1);
    const message = manageError instanceof Error ? manageError.message : String(manageError);
    const condition: ReplicaCondition = failure ?? {
      type: REPLICA_FAILURE,
      status: 'True',
      lastTransitionTime: formatTime(now),
      reason: tooFew ? 'FailedCreate' : 'FailedDelete',
      message,
    };
    conditions.push(condition);
  }
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}

/** True when `next` differs from what `owner` reports now (so it must be written). */
export function statusChanged(owner: ReplicatedObject, next: ReplicaStatus): boolean {
  const current = owner.status;
  const count = (value: number | undefined): number => value ?? 0;
  return (
    count(current?.replicas) !== next.replicas ||
    count(current?.fullyLabeledReplicas) !== count(next.fullyLabeledReplicas) ||
    count(current?.readyReplicas) !== count(next.readyReplicas) ||
    count(current?.availableReplicas) !== count(next.availableReplicas) ||
    count(current?.observedGeneration) !== count(next.observedGeneration) ||
    JSON.stringify(current?.conditions ?? []) !== JSON.stringify(next.conditions ?? [])
  );
}
