/**
 * What the garbage collector does with one object, as upstream's `attemptToDeleteItem`
 * and `orphanDependents`:
 * - an object waiting for its dependents (foreground) loses its `foregroundDeletion`
 *   finalizer once no blocking dependent remains, else its dependents are looked at;
 * - a dependent is classified by its owners (looked up live): with a live owner it
 *   stays, losing only references to gone owners and to owners waiting for it; with
 *   none it is deleted — in the foreground when an owner waits for it and it has
 *   dependents itself, otherwise as its own finalizers say (background by default);
 * - an owner being deleted with the `orphan` finalizer has its reference removed from
 *   every dependent, then loses the finalizer.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isStatusReason } from '../../api/status.js';
import type { RestClient } from '../../client/index.js';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, isDeletingDependents, isOrphaning } from './graph.js';
import type { GraphNode, OwnershipGraph } from './graph.js';
import { getLive, removeFinalizer, removeOwnerReferences, updateOwnerReferences } from './liveObjects.js';
import type { ObjectIdentity } from './liveObjects.js';
import type { KindMapper } from './resources.js';

/** What collection needs. */
export interface CollectDeps {
  client: RestClient;
  graph: OwnershipGraph;
  kinds: KindMapper;
  /** Queues an object (by uid) to be looked at again by `attemptToDelete`. */
  enqueue(uid: string): void;
  signal?: AbortSignal;
}

/** An owner reference's kind is not (yet) known to discovery; retried after the next discovery. */
export class UnknownOwnerKindError extends Error {
  constructor(ref: OwnerReference) {
    super(`unable to map ownerReference ${ref.apiVersion}, Kind=${ref.kind} to a resource`);
    this.name = 'UnknownOwnerKindError';
  }
}

/** How each owner reference of an object stands. */
interface OwnerClassification {
  solid: OwnerReference[];
  dangling: OwnerReference[];
  waitingForDependentsDeletion: OwnerReference[];
}

/** Looks at the object with `uid` (see the module comment); throws to be retried. */
export async function attemptToDelete(uid: string, deps: CollectDeps): Promise<void> {
  const node = deps.graph.get(uid);
  if (node === undefined) return;
  const latest = await getLive(deps.client, node, deps.signal);
  if (latest === undefined) return;
  const state = { beingDeleted: latest.metadata.deletionTimestamp != null, finalizers: latest.metadata.finalizers ?? [] };
  if (isDeletingDependents(state)) return processDeletingDependents(node, deps);
  if (state.beingDeleted) return;
  const owners = latest.metadata.ownerReferences ?? [];
  if (owners.length === 0) return;
  const { solid, dangling, waitingForDependentsDeletion } = await classifyOwners(node, owners, deps);
  if (solid.length > 0) {
    const remove = new Set([...dangling, ...waitingForDependentsDeletion].map((ref) => ref.uid));
    if (remove.size > 0) await removeOwnerReferences(deps.client, node, remove, deps.signal);
    return;
  }
  const dependents = deps.graph.dependents(uid);
  if (waitingForDependentsDeletion.length > 0 && dependents.length > 0) {
    // A dependent waiting for its own dependents may be waiting for this object: break the cycle.
    if (dependents.some(isDeletingDependents)) await unblockOwnerReferences(node, deps);
    return deleteObject(node, latest, 'Foreground', deps);
  }
  const finalizers = latest.metadata.finalizers ?? [];
  const policy = finalizers.includes(ORPHAN_FINALIZER) ? 'Orphan' : finalizers.includes(FOREGROUND_FINALIZER) ? 'Foreground' : 'Background';
  return deleteObject(node, latest, policy, deps);
}

/** Removes the owner's `orphan` finalizer after removing its reference from every dependent. */
export async function orphanDependents(uid: string, deps: CollectDeps): Promise<void> {
  const node = deps.graph.get(uid);
  if (node === undefined || !isOrphaning(node)) return;
  const owner = new Set([uid]);
  for (const dependent of deps.graph.dependents(uid)) await removeOwnerReferences(deps.client, dependent, owner, deps.signal);
  await removeFinalizer(deps.client, node, ORPHAN_FINALIZER, deps.signal);
}

/** Foreground deletion: done when no blocking dependent remains; else its dependents are collected first. */
async function processDeletingDependents(node: GraphNode, deps: CollectDeps): Promise<void> {
  const blocking = deps.graph.blockingDependents(node.uid);
  if (blocking.length === 0) return removeFinalizer(deps.client, node, FOREGROUND_FINALIZER, deps.signal);
  for (const dependent of blocking) if (!dependent.beingDeleted) deps.enqueue(dependent.uid);
}

/** Sorts `owners` of `node` by how their owners stand now (read live). */
async function classifyOwners(node: GraphNode, owners: readonly OwnerReference[], deps: CollectDeps): Promise<OwnerClassification> {
  const result: OwnerClassification = { solid: [], dangling: [], waitingForDependentsDeletion: [] };
  for (const ref of owners) {
    const owner = await liveOwner(node, ref, deps);
    if (owner === undefined) result.dangling.push(ref);
    else if (owner.metadata.deletionTimestamp != null && (owner.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER)) result.waitingForDependentsDeletion.push(ref);
    else result.solid.push(ref);
  }
  return result;
}

/** The owner `ref` names, read live; undefined when it does not exist (or has another uid). */
async function liveOwner(node: GraphNode, ref: OwnerReference, deps: CollectDeps): Promise<KubeObject | undefined> {
  const resource = deps.kinds.resourceFor(ref.apiVersion, ref.kind);
  if (resource === undefined) throw new UnknownOwnerKindError(ref);
  // A cluster-scoped object cannot have a namespaced owner; upstream leaves such objects alone.
  if (resource.namespaced && node.target.namespace === undefined) return { metadata: { uid: ref.uid } };
  const target = resource.namespaced ? { ...resource.target, namespace: node.target.namespace } : resource.target;
  const id: ObjectIdentity = { target, name: ref.name, uid: ref.uid };
  return getLive(deps.client, id, deps.signal);
}

/** Makes every blocking owner reference of `node` non-blocking. */
async function unblockOwnerReferences(node: GraphNode, deps: CollectDeps): Promise<void> {
  await updateOwnerReferences(deps.client, node, (refs) => refs.map((ref) => (ref.blockOwnerDeletion === true ? { ...ref, blockOwnerDeletion: false } : ref)), deps.signal);
}

/** Deletes `node` as read in `latest` (uid and resourceVersion preconditions); gone already is fine. */
async function deleteObject(node: GraphNode, latest: KubeObject, propagationPolicy: 'Orphan' | 'Background' | 'Foreground', deps: CollectDeps): Promise<void> {
  const preconditions = { uid: node.uid, resourceVersion: latest.metadata.resourceVersion ?? '' };
  try {
    await deps.client.delete(node.target, node.name, { propagationPolicy, preconditions, signal: deps.signal });
  } catch (err) {
    if (!isStatusReason(err, 'NotFound')) throw err;
  }
}
