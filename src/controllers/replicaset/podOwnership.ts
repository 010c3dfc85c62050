/**
 * Which pods a replica controller owns (upstream `PodControllerRefManager.ClaimPods`):
 * pods it controls and its selector still matches are kept; controlled pods the
 * selector no longer matches are released; orphans the selector matches are adopted
 * (controller ownerReference with blockOwnerDeletion), unless either side is being
 * deleted. Writes carry the pod's resourceVersion, so a stale cache means a conflict
 * (and a retry), never a lost ownerReference.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { isStatusReason } from '../../api/status.js';
import type { LabelSelector } from '../../api/selectors/labelSelector.js';
import type { RestClient } from '../../client/index.js';
import type { PodObject } from './podState.js';
import type { ReplicaKind, ReplicatedObject } from './replicaKinds.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };

/** The ownerReference that marks `pod` as controlled, if any. */
export function controllerRefOf(pod: PodObject): OwnerReference | undefined {
  return pod.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

/** The controller ownerReference `owner` (of `kind`) puts on its pods. */
export function ownerReferenceFor(kind: ReplicaKind, owner: ReplicatedObject): OwnerReference {
  return { apiVersion: kind.apiVersion, kind: kind.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** What claiming needs besides the pods. */
export interface ClaimContext {
  client: RestClient;
  kind: ReplicaKind;
  owner: ReplicatedObject;
  selector: LabelSelector;
  /** Confirms, with a fresh read, that the owner may still adopt (same uid, not being deleted); throws otherwise. */
  canAdopt(): Promise<void>;
  signal?: AbortSignal;
}

async function writeOwnerReferences(context: ClaimContext, pod: PodObject, ownerReferences: OwnerReference[]): Promise<void> {
  const patch = { metadata: { ownerReferences: ownerReferences.length > 0 ? ownerReferences : null, uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion } };
  await context.client.patch({ ...PODS, namespace: pod.metadata.namespace }, pod.metadata.name ?? '', 'merge', patch, { signal: context.signal });
}

/** The pods of `pods` (active ones of the owner's namespace) the owner controls after adopting and releasing. */
export async function claimPods(context: ClaimContext, pods: readonly PodObject[]): Promise<PodObject[]> {
  const { owner, selector } = context;
  const ownerDeleting = owner.metadata.deletionTimestamp !== undefined;
  const claimed: PodObject[] = [];
  let adoptionChecked = false;
  for (const pod of pods) {
    const ref = controllerRefOf(pod);
    const matches = selector.matches(pod.metadata.labels ?? {});
    if (ref !== undefined) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches) {
        claimed.push(pod);
        continue;
      }
      if (ownerDeleting) continue;
      const rest = (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
      try {
        await writeOwnerReferences(context, pod, rest);
      } catch (err) {
        if (!isStatusReason(err, 'NotFound')) throw err;
      }
      continue;
    }
    if (!matches || ownerDeleting || pod.metadata.deletionTimestamp !== undefined) continue;
    if (!adoptionChecked) {
      await context.canAdopt();
      adoptionChecked = true;
    }
    try {
      await writeOwnerReferences(context, pod, [...(pod.metadata.ownerReferences ?? []), ownerReferenceFor(context.kind, owner)]);
      claimed.push(pod);
    } catch (err) {
      if (!isStatusReason(err, 'NotFound')) throw err;
    }
  }
  return claimed;
}
