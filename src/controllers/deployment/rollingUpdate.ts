/**
 * The RollingUpdate strategy (upstream rolling.go): grow the new ReplicaSet within
 * replicas + maxSurge, then shrink old ones while at least replicas - maxUnavailable
 * pods stay available (unhealthy old pods go first), one step per sync; once the
 * rollout is complete, old sets beyond revisionHistoryLimit are deleted.
 */
import { deploymentComplete } from './deploymentStatus.js';
import { newReplicaSetSize, replicaSetsAndSyncRevision } from './newReplicaSet.js';
import type { ReplicaSetObject } from './objects.js';
import { specReplicas } from './objects.js';
import { activeReplicaSets, availableReplicaSum, byCreation, specReplicaSum } from './replicaSetSets.js';
import type { Rollout } from './rollout.js';
import { maxUnavailable } from './rolloutBounds.js';

/** Upstream `reconcileNewReplicaSet`: true when the new set was resized. */
async function reconcileNewReplicaSet(rollout: Rollout, sets: readonly ReplicaSetObject[], newRs: ReplicaSetObject): Promise<boolean> {
  const current = specReplicas(newRs.spec);
  if (current === rollout.replicas) return false;
  const target = current > rollout.replicas ? rollout.replicas : newReplicaSetSize(rollout.deployment, sets, newRs);
  return (await rollout.scaleTo(newRs, target)).scaled;
}

/** Upstream `cleanupUnhealthyReplicas`: scales old sets down by their unavailable pods, up to `maxCleanup`. */
async function cleanupUnhealthyReplicas(rollout: Rollout, oldSets: ReplicaSetObject[], maxCleanup: number): Promise<number> {
  oldSets.sort(byCreation);
  let scaledDown = 0;
  for (const [index, rs] of oldSets.entries()) {
    if (scaledDown >= maxCleanup) break;
    const replicas = specReplicas(rs.spec);
    const available = rs.status?.availableReplicas ?? 0;
    if (replicas === 0 || replicas === available) continue;
    const count = Math.min(maxCleanup - scaledDown, replicas - available);
    oldSets[index] = (await rollout.scaleTo(rs, replicas - count)).rs;
    scaledDown += count;
  }
  return scaledDown;
}

/** Upstream `scaleDownOldReplicaSetsForRollingUpdate`: scales old sets down, oldest first, while availability allows. */
async function scaleDownOldReplicaSets(rollout: Rollout, sets: readonly ReplicaSetObject[], oldSets: ReplicaSetObject[]): Promise<number> {
  const minAvailable = rollout.replicas - maxUnavailable(rollout.deployment);
  const available = availableReplicaSum(sets);
  if (available <= minAvailable) return 0;
  const wanted = available - minAvailable;
  let scaledDown = 0;
  for (const rs of [...oldSets].sort(byCreation)) {
    if (scaledDown >= wanted) break;
    const replicas = specReplicas(rs.spec);
    if (replicas === 0) continue;
    const count = Math.min(replicas, wanted - scaledDown);
    await rollout.scaleTo(rs, replicas - count);
    scaledDown += count;
  }
  return scaledDown;
}

/** Upstream `reconcileOldReplicaSets`: true when any old set was scaled down. */
async function reconcileOldReplicaSets(rollout: Rollout, sets: readonly ReplicaSetObject[], activeOld: ReplicaSetObject[], newRs: ReplicaSetObject): Promise<boolean> {
  if (specReplicaSum(activeOld) === 0) return false;
  const minAvailable = rollout.replicas - maxUnavailable(rollout.deployment);
  const newUnavailable = specReplicas(newRs.spec) - (newRs.status?.availableReplicas ?? 0);
  const maxScaledDown = specReplicaSum(sets) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = await cleanupUnhealthyReplicas(rollout, activeOld, maxScaledDown);
  const scaled = await scaleDownOldReplicaSets(rollout, [...activeOld, newRs], activeOld);
  return cleaned + scaled > 0;
}

/** Upstream `rolloutRolling`; see the module comment. */
export async function rolloutRolling(rollout: Rollout): Promise<void> {
  const { newRs, oldSets } = await replicaSetsAndSyncRevision(rollout, true);
  if (newRs === undefined) throw new Error('no new replica set after creating it');
  const sets = [...oldSets, newRs];
  if (await reconcileNewReplicaSet(rollout, sets, newRs)) return rollout.syncRolloutStatus(sets, newRs);
  if (await reconcileOldReplicaSets(rollout, sets, activeReplicaSets(oldSets), newRs)) return rollout.syncRolloutStatus(sets, newRs);
  if (deploymentComplete(rollout.deployment, rollout.deployment.status ?? {})) await rollout.cleanup(oldSets);
  return rollout.syncRolloutStatus(sets, newRs);
}
