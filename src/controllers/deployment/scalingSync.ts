/**
 * The syncs that do not roll (upstream sync.go): a paused deployment or a scaling
 * event only resizes ReplicaSets and writes status; pausing and resuming show in the
 * Progressing condition (DeploymentPaused / DeploymentResumed), so time spent paused
 * never counts against the progress deadline.
 */
import { PROGRESSING, REASON, conditionOf, newCondition, setCondition } from './conditions.js';
import { hasProgressDeadline } from './deploymentStatus.js';
import { replicaSetsAndSyncRevision } from './newReplicaSet.js';
import { specReplicas } from './objects.js';
import { scale } from './proportionalScaling.js';
import { activeReplicaSets } from './replicaSetSets.js';
import { DESIRED_REPLICAS, intAnnotation } from './revisionAnnotations.js';
import type { Rollout } from './rollout.js';

/** Upstream `isScalingEvent`: an active set was last sized for another `spec.replicas`. */
export async function isScalingEvent(rollout: Rollout): Promise<boolean> {
  const { newRs, oldSets } = await replicaSetsAndSyncRevision(rollout, false);
  return activeReplicaSets([...oldSets, newRs]).some((rs) => {
    const desired = intAnnotation(rs, DESIRED_REPLICAS);
    return desired !== undefined && desired !== specReplicas(rollout.deployment.spec);
  });
}

/** Upstream `syncStatusOnly`: a deployment being deleted only reports status. */
export async function syncStatusOnly(rollout: Rollout): Promise<void> {
  const { newRs, oldSets } = await replicaSetsAndSyncRevision(rollout, false);
  await rollout.syncStatus([...oldSets, newRs], newRs);
}

/** Upstream `sync`: resize the sets, clean up old ones while paused, write status. */
export async function syncWithoutRolling(rollout: Rollout): Promise<void> {
  const { newRs, oldSets } = await replicaSetsAndSyncRevision(rollout, false);
  await scale(rollout, newRs, oldSets);
  if (rollout.deployment.spec?.paused === true) await rollout.cleanup(oldSets);
  await rollout.syncStatus([...oldSets, newRs], newRs);
}

/** Upstream `checkPausedConditions`; see the module comment. A timed-out rollout keeps its condition. */
export async function checkPausedConditions(rollout: Rollout): Promise<void> {
  const deployment = rollout.deployment;
  if (!hasProgressDeadline(deployment)) return;
  const current = conditionOf(deployment.status, PROGRESSING);
  if (current?.reason === REASON.timedOut) return;
  const pausedShown = current?.reason === REASON.paused;
  const paused = deployment.spec?.paused === true;
  if (paused === pausedShown) return;
  const condition = paused
    ? newCondition(PROGRESSING, 'Unknown', REASON.paused, 'Deployment is paused', rollout.deps.clock.now())
    : newCondition(PROGRESSING, 'Unknown', REASON.resumed, 'Deployment is resumed', rollout.deps.clock.now());
  const next = structuredClone(deployment.status ?? {});
  setCondition(next, condition);
  await rollout.writeStatus(next);
}
