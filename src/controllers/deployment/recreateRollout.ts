/**
 * The Recreate strategy (upstream recreate.go): scale every old ReplicaSet to zero,
 * wait until no old pod may still run, then create or grow the new set to
 * `spec.replicas`; once complete, old sets beyond revisionHistoryLimit are deleted.
 */
import { deploymentComplete } from './deploymentStatus.js';
import { replicaSetsAndSyncRevision } from './newReplicaSet.js';
import type { ReplicaSetObject } from './objects.js';
import { actualReplicaSum, activeReplicaSets } from './replicaSetSets.js';
import type { Rollout } from './rollout.js';

/** Upstream `oldPodsRunning`: an old set still counts pods, or an old pod has not finished. */
function oldPodsRunning(rollout: Rollout, newRs: ReplicaSetObject | undefined, oldSets: readonly ReplicaSetObject[]): boolean {
  if (actualReplicaSum(oldSets) > 0) return true;
  for (const [uid, pods] of rollout.podsByReplicaSet) {
    if (newRs !== undefined && uid === newRs.metadata.uid) continue;
    if (pods.some((pod) => pod.status?.phase !== 'Failed' && pod.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}

/** Upstream `rolloutRecreate`; see the module comment. */
export async function recreateRollout(rollout: Rollout): Promise<void> {
  let { newRs, oldSets } = await replicaSetsAndSyncRevision(rollout, false);
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldSets)) if ((await rollout.scaleTo(rs, 0)).scaled) scaledDown = true;
  if (scaledDown || oldPodsRunning(rollout, newRs, oldSets)) return rollout.syncRolloutStatus([...oldSets, newRs], newRs);
  if (newRs === undefined) ({ newRs, oldSets } = await replicaSetsAndSyncRevision(rollout, true));
  if (newRs !== undefined) await rollout.scaleTo(newRs, rollout.replicas);
  if (deploymentComplete(rollout.deployment, rollout.deployment.status ?? {})) await rollout.cleanup(oldSets);
  return rollout.syncRolloutStatus([...oldSets, newRs], newRs);
}
