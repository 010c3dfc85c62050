/**
 * Upstream `scale` (sync.go): bringing a deployment's ReplicaSets to a new
 * `spec.replicas` without rolling. One active set takes the whole size; a saturated
 * new set leaves the old ones at zero; during a rolling update the difference is
 * spread over the active sets in proportion to their sizes (each set's share read
 * from its max-replicas annotation), largest first, leftovers to the first.
 */
import type { DeploymentObject, ReplicaSetObject } from './objects.js';
import { specReplicas } from './objects.js';
import { activeReplicaSets, bySizeNewer, bySizeOlder, findActiveOrLatest, specReplicaSum } from './replicaSetSets.js';
import { DESIRED_REPLICAS, MAX_REPLICAS, intAnnotation } from './revisionAnnotations.js';
import type { Rollout } from './rollout.js';
import { isRollingUpdate, maxSurge } from './rolloutBounds.js';

/** Upstream `IsSaturated`: the new set runs all the deployment's replicas, all available. */
export function isSaturated(deployment: DeploymentObject, rs: ReplicaSetObject | undefined): boolean {
  if (rs === undefined) return false;
  const replicas = specReplicas(deployment.spec);
  return specReplicas(rs.spec) === replicas && intAnnotation(rs, DESIRED_REPLICAS) === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

/** Go's `math.Round`: halves away from zero. */
const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/** Upstream `getReplicaSetFraction`: the change `rs` should see for the deployment's new size. */
function fraction(rs: ReplicaSetObject, deployment: DeploymentObject): number {
  const replicas = specReplicas(deployment.spec);
  if (replicas === 0) return -specReplicas(rs.spec);
  const deploymentMax = replicas + maxSurge(deployment);
  const annotated = intAnnotation(rs, MAX_REPLICAS) ?? deployment.status?.replicas ?? 0;
  if (annotated <= 0) return 0;
  return roundHalfAway((specReplicas(rs.spec) * deploymentMax) / annotated) - specReplicas(rs.spec);
}

/** Upstream `GetProportion`: the share of `toAdd` (of which `added` is handed out) that goes to `rs`. */
function proportion(rs: ReplicaSetObject, deployment: DeploymentObject, toAdd: number, added: number): number {
  if (specReplicas(rs.spec) === 0 || toAdd === 0 || toAdd === added) return 0;
  const share = fraction(rs, deployment);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(share, allowed) : Math.max(share, allowed);
}

/** The size each active set gets when a rolling deployment is resized (by set name). */
export function proportionalSizes(deployment: DeploymentObject, sets: readonly ReplicaSetObject[]): Map<string, number> {
  const replicas = specReplicas(deployment.spec);
  const allowed = replicas > 0 ? replicas + maxSurge(deployment) : 0;
  const toAdd = allowed - specReplicaSum(sets);
  const ordered = [...sets].sort(toAdd > 0 ? bySizeNewer : bySizeOlder);
  const sizes = new Map<string, number>();
  let added = 0;
  for (const rs of ordered) {
    const share = toAdd !== 0 ? proportion(rs, deployment, toAdd, added) : 0;
    sizes.set(rs.metadata.name ?? '', specReplicas(rs.spec) + share);
    added += share;
  }
  const first = ordered[0];
  if (added !== toAdd && first !== undefined) {
    const name = first.metadata.name ?? '';
    sizes.set(name, Math.max(0, (sizes.get(name) ?? 0) + toAdd - added));
  }
  return sizes;
}

/** Upstream `scale`; see the module comment. */
export async function scale(rollout: Rollout, newRs: ReplicaSetObject | undefined, oldSets: readonly ReplicaSetObject[]): Promise<void> {
  const deployment = rollout.deployment;
  const activeOrLatest = findActiveOrLatest(newRs, oldSets);
  if (activeOrLatest !== undefined) {
    if (specReplicas(activeOrLatest.spec) !== rollout.replicas) await rollout.scaleTo(activeOrLatest, rollout.replicas);
    return;
  }
  if (isSaturated(deployment, newRs)) {
    for (const old of activeReplicaSets(oldSets)) await rollout.scaleTo(old, 0);
    return;
  }
  if (!isRollingUpdate(deployment)) return;
  const active = activeReplicaSets([...oldSets, newRs]);
  const sizes = proportionalSizes(deployment, active);
  for (const rs of active) await rollout.scaleReplicaSet(rs, sizes.get(rs.metadata.name ?? '') ?? specReplicas(rs.spec));
}
