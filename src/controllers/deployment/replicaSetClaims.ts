/**
 * Which ReplicaSets a deployment owns (upstream `ClaimReplicaSets`): sets it controls
 * and its selector still matches are kept; controlled sets that stopped matching are
 * released; matching orphans are adopted (controller ownerReference with
 * blockOwnerDeletion), after a fresh read confirms the deployment may still adopt.
 * Nothing is adopted or released while either side is being deleted. Writes carry the
 * set's uid and resourceVersion, so a stale cache means a conflict and a retry.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { LabelSelector } from '../../api/selectors/labelSelector.js';
import { isStatusReason } from '../../api/status.js';
import type { RestClient } from '../../client/index.js';
import type { DeploymentObject, ReplicaSetObject } from './objects.js';
import { replicaSetsIn } from './objects.js';

/** The controller ownerReference of `obj`, if any. */
export function controllerRefOf(obj: { metadata: { ownerReferences?: OwnerReference[] } }): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

/** The controller ownerReference a deployment puts on its ReplicaSets. */
export function deploymentOwnerReference(deployment: DeploymentObject): OwnerReference {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name ?? '', uid: deployment.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** What claiming needs besides the sets. */
export interface ReplicaSetClaim {
  client: RestClient;
  deployment: DeploymentObject;
  selector: LabelSelector;
  /** Throws unless a fresh read shows the deployment may adopt (same uid, not being deleted). */
  canAdopt(): Promise<void>;
  signal?: AbortSignal;
}

async function writeOwnerReferences(claim: ReplicaSetClaim, rs: ReplicaSetObject, ownerReferences: OwnerReference[]): Promise<ReplicaSetObject | undefined> {
  const patch = { metadata: { ownerReferences: ownerReferences.length > 0 ? ownerReferences : null, uid: rs.metadata.uid, resourceVersion: rs.metadata.resourceVersion } };
  try {
    return await claim.client.patch<ReplicaSetObject>(replicaSetsIn(rs.metadata.namespace), rs.metadata.name ?? '', 'merge', patch, { signal: claim.signal });
  } catch (err) {
    if (isStatusReason(err, 'NotFound')) return undefined;
    throw err;
  }
}

/** The sets of `sets` (the deployment's namespace) the deployment owns once adoption and release are done. */
export async function claimReplicaSets(claim: ReplicaSetClaim, sets: readonly ReplicaSetObject[]): Promise<ReplicaSetObject[]> {
  const { deployment, selector } = claim;
  const deploymentDeleting = deployment.metadata.deletionTimestamp !== undefined;
  const claimed: ReplicaSetObject[] = [];
  let adoptionChecked = false;
  for (const rs of sets) {
    const ref = controllerRefOf(rs);
    const matches = selector.matches(rs.metadata.labels ?? {});
    if (ref !== undefined) {
      if (ref.uid !== deployment.metadata.uid) continue;
      if (matches) claimed.push(rs);
      else if (!deploymentDeleting) await writeOwnerReferences(claim, rs, (rs.metadata.ownerReferences ?? []).filter((r) => r.uid !== deployment.metadata.uid));
      continue;
    }
    if (!matches || deploymentDeleting || rs.metadata.deletionTimestamp !== undefined) continue;
    if (!adoptionChecked) {
      await claim.canAdopt();
      adoptionChecked = true;
    }
    const adopted = await writeOwnerReferences(claim, rs, [...(rs.metadata.ownerReferences ?? []), deploymentOwnerReference(deployment)]);
    if (adopted !== undefined) claimed.push(adopted);
  }
  return claimed;
}
