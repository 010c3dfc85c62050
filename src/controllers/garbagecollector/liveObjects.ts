/**
 * The garbage collector's writes and fresh reads: objects are read live (the graph
 * may lag) and changed with JSON patches that first test the uid and resourceVersion
 * read, so a change made meanwhile fails the patch (and the item is retried) instead
 * of being overwritten.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isStatusReason } from '../../api/status.js';
import type { ResourceTarget, RestClient } from '../../client/index.js';

/** An object's location and identity. */
export interface ObjectIdentity {
  target: ResourceTarget;
  name: string;
  uid: string;
}

/** The object as the server has it now; undefined when it is gone or was replaced (another uid). */
export async function getLive(client: RestClient, id: ObjectIdentity, signal?: AbortSignal): Promise<KubeObject | undefined> {
  try {
    const obj = await client.get(id.target, id.name, { signal });
    return obj.metadata.uid === id.uid ? obj : undefined;
  } catch (err) {
    if (isStatusReason(err, 'NotFound')) return undefined;
    throw err;
  }
}

/** Sets (or removes, when empty) a metadata list of `latest` with a guarded JSON patch; a vanished object is fine. */
async function patchMetadataList(client: RestClient, id: ObjectIdentity, latest: KubeObject, field: 'ownerReferences' | 'finalizers', value: readonly unknown[], signal?: AbortSignal): Promise<void> {
  const ops: unknown[] = [
    { op: 'test', path: '/metadata/uid', value: id.uid },
    { op: 'test', path: '/metadata/resourceVersion', value: latest.metadata.resourceVersion },
    value.length === 0 ? { op: 'remove', path: `/metadata/${field}` } : { op: 'replace', path: `/metadata/${field}`, value },
  ];
  try {
    await client.patch(id.target, id.name, 'json', ops, { signal });
  } catch (err) {
    if (!isStatusReason(err, 'NotFound')) throw err;
  }
}

/** Rewrites the owner references of the live object with `change`; nothing when it is gone or `change` keeps them as they are. */
export async function updateOwnerReferences(
  client: RestClient,
  id: ObjectIdentity,
  change: (refs: readonly OwnerReference[]) => OwnerReference[],
  signal?: AbortSignal,
): Promise<void> {
  const latest = await getLive(client, id, signal);
  if (latest === undefined) return;
  const refs = latest.metadata.ownerReferences ?? [];
  const changed = change(refs);
  if (JSON.stringify(changed) === JSON.stringify(refs)) return;
  await patchMetadataList(client, id, latest, 'ownerReferences', changed, signal);
}

/** Removes the owner references to any of `ownerUids` from the live object. */
export async function removeOwnerReferences(client: RestClient, id: ObjectIdentity, ownerUids: ReadonlySet<string>, signal?: AbortSignal): Promise<void> {
  await updateOwnerReferences(client, id, (refs) => refs.filter((ref) => !ownerUids.has(ref.uid)), signal);
}

/** Removes `finalizer` from the live object (which may then go away). */
export async function removeFinalizer(client: RestClient, id: ObjectIdentity, finalizer: string, signal?: AbortSignal): Promise<void> {
  const latest = await getLive(client, id, signal);
  const finalizers = latest?.metadata.finalizers ?? [];
  if (latest === undefined || !finalizers.includes(finalizer)) return;
  await patchMetadataList(client, id, latest, 'finalizers', finalizers.filter((f) => f !== finalizer), signal);
}
