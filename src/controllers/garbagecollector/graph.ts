/**
 * The garbage collector's view of ownership: every observed object by uid, with its
 * owner references and deletion state, and for every uid the objects that name it as
 * an owner. Pure bookkeeping, fed by informer events; it never talks to the API.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceTarget } from '../../client/index.js';

/** The propagation finalizers the API server sets and the garbage collector removes. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/** One observed object, as much of it as ownership decisions need. */
export interface GraphNode {
  uid: string;
  name: string;
  /** Where the object lives (its resource, and its namespace when namespaced). */
  target: ResourceTarget;
  owners: readonly OwnerReference[];
  beingDeleted: boolean;
  finalizers: readonly string[];
}

/** True while `node` waits for its blocking dependents to go (foreground deletion). */
export function isDeletingDependents(node: Pick<GraphNode, 'beingDeleted' | 'finalizers'>): boolean {
  return node.beingDeleted && node.finalizers.includes(FOREGROUND_FINALIZER);
}

/** True while `node`'s dependents must be orphaned before it goes. */
export function isOrphaning(node: Pick<GraphNode, 'beingDeleted' | 'finalizers'>): boolean {
  return node.beingDeleted && node.finalizers.includes(ORPHAN_FINALIZER);
}

/** Builds the node for `obj` observed through the informer of `target`'s resource. */
export function nodeOf(obj: KubeObject, target: ResourceTarget): GraphNode {
  const meta = obj.metadata;
  const namespace = meta.namespace;
  return {
    uid: meta.uid ?? '',
    name: meta.name ?? '',
    target: namespace === undefined || namespace === '' ? { ...target, namespace: undefined } : { ...target, namespace },
    owners: meta.ownerReferences ?? [],
    beingDeleted: meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null,
    finalizers: meta.finalizers ?? [],
  };
}

/** Ownership of every observed object; see the module comment. */
export class OwnershipGraph {
  readonly #nodes = new Map<string, GraphNode>();
  readonly #dependents = new Map<string, Set<string>>();

  /** The observed object with `uid`, if any. */
  get(uid: string): GraphNode | undefined {
    return this.#nodes.get(uid);
  }

  /** Records `node` (replacing an older version); returns the version it replaced. */
  upsert(node: GraphNode): GraphNode | undefined {
    const old = this.#nodes.get(node.uid);
    if (old !== undefined) this.#unlink(old);
    this.#nodes.set(node.uid, node);
    for (const ref of node.owners) {
      let set = this.#dependents.get(ref.uid);
      if (set === undefined) this.#dependents.set(ref.uid, (set = new Set()));
      set.add(node.uid);
    }
    return old;
  }

  /** Forgets the object with `uid`; returns what was known of it. */
  remove(uid: string): GraphNode | undefined {
    const old = this.#nodes.get(uid);
    if (old === undefined) return undefined;
    this.#unlink(old);
    this.#nodes.delete(uid);
    return old;
  }

  /** The observed objects naming `ownerUid` as an owner. */
  dependents(ownerUid: string): GraphNode[] {
    return [...(this.#dependents.get(ownerUid) ?? [])].flatMap((uid) => this.#nodes.get(uid) ?? []);
  }

  /** The dependents whose reference to `ownerUid` blocks the owner's foreground deletion. */
  blockingDependents(ownerUid: string): GraphNode[] {
    return this.dependents(ownerUid).filter((d) => d.owners.some((ref) => ref.uid === ownerUid && ref.blockOwnerDeletion === true));
  }

  #unlink(node: GraphNode): void {
    for (const ref of node.owners) {
      const set = this.#dependents.get(ref.uid);
      set?.delete(node.uid);
      if (set?.size === 0) this.#dependents.delete(ref.uid);
    }
  }
}
