/**
 * A deployment's status as upstream computes it (`calculateStatus` and progress.go):
 * counts summed over its ReplicaSets, the Available condition, and the Progressing
 * condition a rollout moves through (ReplicaSetUpdated while pods move,
 * NewReplicaSetAvailable once complete, ProgressDeadlineExceeded when nothing moved
 * for progressDeadlineSeconds), plus the ReplicaFailure of its ReplicaSets.
 */
import type { DeploymentCondition, DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import { AVAILABLE, PROGRESSING, REASON, REPLICA_FAILURE, conditionOf, newCondition, removeCondition, setCondition } from './conditions.js';
import type { DeploymentObject, ReplicaSetObject } from './objects.js';
import { specReplicas } from './objects.js';
import { actualReplicaSum, availableReplicaSum, readyReplicaSum, specReplicaSum } from './replicaSetSets.js';
import { minAvailable } from './rolloutBounds.js';

/** Upstream `math.MaxInt32`: a progressDeadlineSeconds that means "no deadline". */
const NO_DEADLINE = 2147483647;

/** Upstream `HasProgressDeadline`. */
export function hasProgressDeadline(deployment: DeploymentObject): boolean {
  const seconds = deployment.spec?.progressDeadlineSeconds;
  return seconds !== undefined && seconds !== null && seconds !== NO_DEADLINE;
}

/** Upstream `calculateStatus`: counts over `sets` (new one included) and the Available condition, at `now` (ms). */
export function calculateStatus(deployment: DeploymentObject, sets: readonly (ReplicaSetObject | undefined)[], newRs: ReplicaSetObject | undefined, now: number): DeploymentStatus {
  const available = availableReplicaSum(sets);
  const status: DeploymentStatus = {
    observedGeneration: deployment.metadata.generation ?? 0,
    replicas: actualReplicaSum(sets),
    updatedReplicas: actualReplicaSum([newRs]),
    readyReplicas: readyReplicaSum(sets),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specReplicaSum(sets) - available),
  };
  const collisionCount = deployment.status?.collisionCount;
  if (collisionCount !== undefined) status.collisionCount = collisionCount;
  if (deployment.status?.conditions !== undefined) status.conditions = structuredClone(deployment.status.conditions);
  const availability =
    available >= minAvailable(deployment)
      ? newCondition(AVAILABLE, 'True', REASON.minimumReplicasAvailable, 'Deployment has minimum availability.', now)
      : newCondition(AVAILABLE, 'False', REASON.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', now);
  setCondition(status, availability);
  return status;
}

/** Upstream `DeploymentComplete`: every replica updated and available, and the latest generation observed. */
export function deploymentComplete(deployment: DeploymentObject, status: DeploymentStatus): boolean {
  const replicas = specReplicas(deployment.spec);
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0)
  );
}

/** Upstream `DeploymentProgressing`: compared with the stored status, pods moved forward. */
function deploymentProgressing(deployment: DeploymentObject, next: DeploymentStatus): boolean {
  const old = deployment.status ?? {};
  const oldOutdated = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const nextOutdated = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    nextOutdated < oldOutdated ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** The moment (ms) the Progressing condition of `status` runs out of time, if it can. */
export function progressDeadline(deployment: DeploymentObject, status: DeploymentStatus): number | undefined {
  const condition = conditionOf(status, PROGRESSING);
  if (!hasProgressDeadline(deployment) || condition?.lastUpdateTime === undefined) return undefined;
  return Date.parse(condition.lastUpdateTime) + (deployment.spec?.progressDeadlineSeconds ?? 0) * 1000;
}

/** Upstream `DeploymentTimedOut`: the Progressing condition has not moved for progressDeadlineSeconds at `now`. */
function deploymentTimedOut(deployment: DeploymentObject, status: DeploymentStatus, now: number): boolean {
  const condition = conditionOf(status, PROGRESSING);
  if (!hasProgressDeadline(deployment) || condition === undefined) return false;
  if (condition.reason === REASON.newReplicaSetAvailable) return false;
  if (condition.reason === REASON.timedOut) return true;
  const deadline = progressDeadline(deployment, status);
  return deadline !== undefined && deadline < now;
}

/** Upstream `getReplicaFailures`: the ReplicaFailure conditions of the new set, else of any set. */
function replicaFailures(sets: readonly (ReplicaSetObject | undefined)[], newRs: ReplicaSetObject | undefined): DeploymentCondition[] {
  const failuresOf = (rs: ReplicaSetObject | undefined): DeploymentCondition[] =>
    (rs?.status?.conditions ?? [])
      .filter((c) => c.type === REPLICA_FAILURE)
      .map((c) => ({ type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime, lastUpdateTime: c.lastTransitionTime, reason: c.reason, message: c.message }));
  const fromNew = failuresOf(newRs);
  return fromNew.length > 0 ? fromNew : sets.flatMap(failuresOf);
}

/** What names the rollout in Progressing messages: the new ReplicaSet, else the deployment. */
const subject = (deployment: DeploymentObject, newRs: ReplicaSetObject | undefined): string =>
  newRs !== undefined ? `ReplicaSet "${newRs.metadata.name}"` : `Deployment "${deployment.metadata.name}"`;

/** Upstream `syncRolloutStatus` (its computation): the status with Progressing and ReplicaFailure brought up to date at `now`. */
export function rolloutStatus(deployment: DeploymentObject, sets: readonly (ReplicaSetObject | undefined)[], newRs: ReplicaSetObject | undefined, now: number): DeploymentStatus {
  const next = calculateStatus(deployment, sets, newRs, now);
  if (!hasProgressDeadline(deployment)) removeCondition(next, PROGRESSING);
  const current = conditionOf(deployment.status, PROGRESSING);
  const alreadyComplete = next.replicas === next.updatedReplicas && current?.reason === REASON.newReplicaSetAvailable;
  if (hasProgressDeadline(deployment) && !alreadyComplete) {
    if (deploymentComplete(deployment, next)) {
      setCondition(next, newCondition(PROGRESSING, 'True', REASON.newReplicaSetAvailable, `${subject(deployment, newRs)} has successfully progressed.`, now));
    } else if (deploymentProgressing(deployment, next)) {
      const condition = newCondition(PROGRESSING, 'True', REASON.replicaSetUpdated, `${subject(deployment, newRs)} is progressing.`, now);
      if (current !== undefined) {
        if (current.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
        removeCondition(next, PROGRESSING);
      }
      setCondition(next, condition);
    } else if (deploymentTimedOut(deployment, next, now)) {
      setCondition(next, newCondition(PROGRESSING, 'False', REASON.timedOut, `${subject(deployment, newRs)} has timed out progressing.`, now));
    }
  }
  const [failure] = replicaFailures(sets, newRs);
  if (failure !== undefined) setCondition(next, failure);
  else removeCondition(next, REPLICA_FAILURE);
  return next;
}

/**
 * Upstream `requeueStuckDeployment`: how long (ms) until a rollout that shows no
 * progress in `next` may time out, so it is checked again then; undefined when no
 * check is due (no deadline, complete, or already timed out).
 */
export function timeUntilDeadline(deployment: DeploymentObject, next: DeploymentStatus, now: number): number | undefined {
  const current = conditionOf(deployment.status, PROGRESSING);
  if (!hasProgressDeadline(deployment) || current === undefined) return undefined;
  if (deploymentComplete(deployment, next) || current.reason === REASON.timedOut) return undefined;
  const deadline = progressDeadline(deployment, deployment.status ?? {});
  return deadline === undefined ? undefined : Math.max(0, deadline - now);
}
