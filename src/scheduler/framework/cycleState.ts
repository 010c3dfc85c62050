/**
 * Data plugins compute for one pod in one scheduling cycle (upstream CycleState):
 * written at PreFilter/PreScore, read by the later points of the same cycle. Preemption
 * clones it to try removing victims without touching the real cycle.
 */

/** A value kept in the cycle state; `clone` gives an independent copy (used by preemption). */
export interface StateData {
  clone(): StateData;
}

/** Per-cycle data, by key (by convention the plugin name plus a suffix). */
export class CycleState {
  readonly #data = new Map<string, StateData>();

  /** Stores `data` under `key`, replacing what was there. */
  write(key: string, data: StateData): void {
    this.#data.set(key, data);
  }

  /** The data under `key`, or undefined when nothing was written. */
  read<T extends StateData>(key: string): T | undefined {
    return this.#data.get(key) as T | undefined;
  }

  /** An independent copy: every value is cloned. */
  clone(): CycleState {
    const copy = new CycleState();
    for (const [key, value] of this.#data) copy.write(key, value.clone());
    return copy;
  }
}
