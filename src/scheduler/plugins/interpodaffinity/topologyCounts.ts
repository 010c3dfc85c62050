/**
 * Counts by topology pair (label key and value), as InterPodAffinity keeps them: an
 * entry that drops to zero is removed, so `size` is the number of pairs with a
 * non-zero count (upstream topologyToMatchedTermCount).
 */
import type { Node } from 'kubernetes-types/core/v1.js';

/** See the module comment. */
export class TopologyCounts {
  readonly #byKey = new Map<string, Map<string, number>>();
  #size = 0;

  /** The number of pairs with a non-zero count. */
  get size(): number {
    return this.#size;
  }

  /** The count of `key=value` (0 when absent). */
  get(key: string, value: string): number {
    return this.#byKey.get(key)?.get(value) ?? 0;
  }

  /** Adds `delta` to `key=value`. */
  add(key: string, value: string, delta: number): void {
    let values = this.#byKey.get(key);
    if (values === undefined) {
      values = new Map();
      this.#byKey.set(key, values);
    }
    const before = values.get(value) ?? 0;
    const after = before + delta;
    if (after === 0) {
      if (values.delete(value)) this.#size -= 1;
      if (values.size === 0) this.#byKey.delete(key);
    } else {
      if (before === 0) this.#size += 1;
      values.set(value, after);
    }
  }

  /** Adds `delta` to the pair `node` has for `key`; nothing when the node lacks the label. */
  addForNode(node: Node, key: string, delta: number): void {
    const value = node.metadata?.labels?.[key];
    if (value !== undefined) this.add(key, value, delta);
  }

  /** Whether any label of `node` is a pair with a positive count. */
  anyPositiveOn(node: Node): boolean {
    const labels = node.metadata?.labels;
    if (labels === undefined || this.#size === 0) return false;
    for (const [key, values] of this.#byKey) {
      const value = labels[key];
      if (value !== undefined && (values.get(value) ?? 0) > 0) return true;
    }
    return false;
  }

  /** An independent copy. */
  clone(): TopologyCounts {
    const copy = new TopologyCounts();
    for (const [key, values] of this.#byKey) copy.#byKey.set(key, new Map(values));
    copy.#size = this.#size;
    return copy;
  }
}
