/**
 * Writing the ControllerRevisions of a StatefulSet or DaemonSet (upstream
 * `getStatefulSetRevisions` / `constructHistory` with `CreateControllerRevision`): the
 * revision of the owner's current template is the newest one when its data is already
 * there, an older equal revision renumbered to the newest (a roll back), or a new
 * revision `<owner>-<hash>`. A name taken by different data is a hash collision: the
 * owner's collision count goes up and the hash is probed again.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isStatusReason } from '../../api/status.js';
import type { RestClient } from '../../client/index.js';
import { revisionHash, revisionName } from './revisionHash.js';
import { REVISION_HASH_LABEL, nextRevisionNumber, revisionsWithData, sameData, sortedByRevision } from './revisions.js';
import type { RevisionObject } from './revisions.js';
import { canonicalJson, templatePatch } from './templatePatch.js';

const REVISIONS = { group: 'apps', version: 'v1', resource: 'controllerrevisions' };
/** Collisions probed before giving up (each needs a distinct object already holding the name). */
const MAX_COLLISION_PROBES = 100;

/** The owner whose revisions are written. */
export interface RevisionOwner extends KubeObject {
  spec?: { template?: PodTemplateSpec };
  status?: { collisionCount?: number };
}

/** The revision the owner's template now has, and the collision count naming it. */
export interface UpdateRevision {
  revision: RevisionObject;
  /** The value of its `controller-revision-hash` label. */
  hash: string;
  collisionCount: number;
}

/** The hash of a revision (its label, else the part of its name after the owner's). */
export function hashOfRevision(revision: RevisionObject, ownerName: string): string {
  return revision.metadata.labels?.[REVISION_HASH_LABEL] ?? (revision.metadata.name ?? '').slice(ownerName.length + 1);
}

function newRevision(owner: RevisionOwner, ownerRef: OwnerReference, data: Record<string, unknown>, number: number, collisionCount: number): RevisionObject {
  const hash = revisionHash(canonicalJson(data), collisionCount);
  const revision: RevisionObject = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: revisionName(owner.metadata.name ?? '', hash),
      namespace: owner.metadata.namespace,
      labels: { ...owner.spec?.template?.metadata?.labels, [REVISION_HASH_LABEL]: hash },
      ownerReferences: [ownerRef],
    },
    data,
    revision: number,
  };
  if (owner.metadata.annotations !== undefined) revision.metadata.annotations = { ...owner.metadata.annotations };
  return revision;
}

/**
 * Finds or writes the revision of `owner`'s template among its `revisions` (the ones it
 * controls). `ownerRef` is the controller reference new revisions carry.
 */
export async function ensureUpdateRevision(client: RestClient, owner: RevisionOwner, ownerRef: OwnerReference, revisions: readonly RevisionObject[], signal?: AbortSignal): Promise<UpdateRevision> {
  const ownerName = owner.metadata.name ?? '';
  let collisionCount = owner.status?.collisionCount ?? 0;
  const data = templatePatch(owner.spec?.template);
  const sorted = sortedByRevision(revisions);
  const newest = sorted.at(-1);
  const equal = revisionsWithData(sorted, data).at(-1);
  const target = { ...REVISIONS, namespace: owner.metadata.namespace };
  if (equal !== undefined && equal === newest) return { revision: equal, hash: hashOfRevision(equal, ownerName), collisionCount };
  const number = nextRevisionNumber(sorted);
  if (equal !== undefined) {
    const renumbered = await client.patch<RevisionObject>(target, equal.metadata.name ?? '', 'merge', { revision: number }, { signal });
    return { revision: renumbered, hash: hashOfRevision(renumbered, ownerName), collisionCount };
  }
  for (let probe = 0; probe < MAX_COLLISION_PROBES; probe++) {
    const candidate = newRevision(owner, ownerRef, data, number, collisionCount);
    try {
      const created = await client.create<RevisionObject>(target, candidate, { signal });
      return { revision: created, hash: hashOfRevision(created, ownerName), collisionCount };
    } catch (err) {
      if (!isStatusReason(err, 'AlreadyExists')) throw err;
      const existing = await client.get<RevisionObject>(target, candidate.metadata.name ?? '', { signal });
      const ownedHere = existing.metadata.ownerReferences?.some((ref) => ref.controller === true && ref.uid === ownerRef.uid) === true;
      if (ownedHere && sameData(existing.data, data)) return { revision: existing, hash: hashOfRevision(existing, ownerName), collisionCount };
      collisionCount++;
    }
  }
  throw new Error(`no free ControllerRevision name for ${ownerName} after ${MAX_COLLISION_PROBES} hash collisions`);
}

/** Deletes the revisions of `revisions` beyond what the history keeps (missing ones are no failure). */
export async function deleteRevisions(client: RestClient, revisions: readonly RevisionObject[], signal?: AbortSignal): Promise<void> {
  for (const revision of revisions) {
    try {
      await client.delete({ ...REVISIONS, namespace: revision.metadata.namespace }, revision.metadata.name ?? '', { signal });
    } catch (err) {
      if (!isStatusReason(err, 'NotFound')) throw err;
    }
  }
}
