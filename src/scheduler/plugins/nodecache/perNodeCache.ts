/**
 * Cluster-wide sums that survive from one scheduling cycle to the next, so plugins do
 * not rescan every pod of every node per pod (upstream recomputes them each cycle in
 * parallel; one JavaScript thread cannot). A `PerNodeCache` keeps each node's
 * contribution and adds it into an aggregate; `sync` recomputes only nodes whose
 * NodeInfo changed. A NodeInfo counts as changed when it is another object, or when
 * its Node object, its pods array or that array's length differs (the snapshot clones
 * a node whenever it changes; the extra checks catch in-place updates).
 */
import type { Node } from 'kubernetes-types/core/v1.js';
import type { NodeInfo, PodInfo } from '../../framework/interface.js';
import { changesOf, type ListChanges } from './listChanges.js';

interface Entry<C> {
  info: NodeInfo;
  node: Node;
  pods: readonly PodInfo[];
  podCount: number;
  contribution: C;
  epoch: number;
}

/** How a cache computes a node's contribution and folds it into (sign 1) or out of (sign -1) its aggregate. */
export interface ContributionRules<C> {
  compute(info: NodeInfo): C;
  apply(contribution: C, sign: 1 | -1): void;
}

/** See the module comment. */
export class PerNodeCache<C> {
  readonly #entries = new Map<string, Entry<C>>();
  readonly #rules: ContributionRules<C>;
  #epoch = 0;
  /** The change tracker of the last sync, how far this cache has read its log, and the entries by list position. */
  #tracker: ListChanges | undefined;
  #seen = 0;
  #byPosition: Entry<C>[] = [];

  constructor(rules: ContributionRules<C>) {
    this.#rules = rules;
  }

  /**
   * Makes the aggregate the sum over exactly `nodes` (names unique). `token` identifies
   * the cycle (its CycleState): the list is scanned for changes once per cycle.
   */
  sync(nodes: readonly NodeInfo[], token?: object): void {
    const tracker = changesOf(nodes);
    tracker.observe(token);
    if (this.#tracker === tracker && this.#applyChanges(nodes, tracker.since(this.#seen))) {
      this.#seen = tracker.end;
      return;
    }
    this.#syncByName(nodes);
    this.#byPosition = nodes.map((info) => this.#entries.get(info.name) as Entry<C>);
    this.#tracker = tracker;
    this.#seen = tracker.end;
  }

  /** Refreshes the entries at the changed positions; false when that cannot be done (fall back to a full sync). */
  #applyChanges(nodes: readonly NodeInfo[], changed: readonly number[] | undefined): boolean {
    if (changed === undefined) return false;
    for (const i of changed) {
      const info = nodes[i] as NodeInfo;
      const entry = this.#byPosition[i] as Entry<C>;
      if (entry.info.name !== info.name) return false;
      if (entry.info !== info || entry.node !== info.node || entry.pods !== info.pods || entry.podCount !== info.pods.length) this.#refresh(entry, info);
    }
    return true;
  }

  #refresh(entry: Entry<C>, info: NodeInfo): void {
    const rules = this.#rules;
    rules.apply(entry.contribution, -1);
    entry.contribution = rules.compute(info);
    rules.apply(entry.contribution, 1);
    entry.info = info;
    entry.node = info.node;
    entry.pods = info.pods;
    entry.podCount = info.pods.length;
  }

  #syncByName(nodes: readonly NodeInfo[]): void {
    const epoch = ++this.#epoch;
    const rules = this.#rules;
    for (const info of nodes) {
      const entry = this.#entries.get(info.name);
      if (entry === undefined) {
        const contribution = rules.compute(info);
        rules.apply(contribution, 1);
        this.#entries.set(info.name, { info, node: info.node, pods: info.pods, podCount: info.pods.length, contribution, epoch });
        continue;
      }
      entry.epoch = epoch;
      if (entry.info === info && entry.node === info.node && entry.pods === info.pods && entry.podCount === info.pods.length) continue;
      this.#refresh(entry, info);
    }
    if (this.#entries.size === nodes.length) return;
    for (const [name, entry] of this.#entries) {
      if (entry.epoch === epoch) continue;
      rules.apply(entry.contribution, -1);
      this.#entries.delete(name);
    }
  }
}

/** A map of at most `capacity` values, evicting the least recently used (for caches keyed by pod shape). */
export class BoundedCache<V> {
  readonly #values = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  /** The value under `key`, created by `create` when absent. */
  get(key: string, create: () => V): V {
    let value = this.#values.get(key);
    if (value !== undefined) {
      this.#values.delete(key);
      this.#values.set(key, value);
      return value;
    }
    value = create();
    this.#values.set(key, value);
    if (this.#values.size > this.capacity) {
      const oldest = this.#values.keys().next();
      if (oldest.done !== true) this.#values.delete(oldest.value);
    }
    return value;
  }
}
