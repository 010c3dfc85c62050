/**
 * How often a DaemonSet may replace failed pods on one node (upstream
 * `failedPodsBackoff`: 1 s doubling to 15 min, forgotten after twice the maximum
 * without failures), so a set whose pods a node keeps rejecting does not hot-loop
 * creating and deleting them.
 */
import type { Clock } from '../../client/index.js';

const INITIAL_MS = 1000;
const MAX_MS = 15 * 60 * 1000;

interface Entry {
  delayMs: number;
  lastMs: number;
}

/** Backoff per `set key/node`; see the module comment. */
export class FailedPodBackoff {
  readonly #clock: Clock;
  readonly #entries = new Map<string, Entry>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Milliseconds until a failed pod of set `key` on `node` may be deleted again (0: now). */
  remainingMs(key: string, node: string): number {
    const entry = this.#entries.get(`${key}/${node}`);
    if (entry === undefined) return 0;
    return Math.max(0, entry.lastMs + entry.delayMs - this.#clock.now());
  }

  /** Records that a failed pod of set `key` on `node` is being deleted now. */
  next(key: string, node: string): void {
    const id = `${key}/${node}`;
    const now = this.#clock.now();
    const entry = this.#entries.get(id);
    const fresh = entry === undefined || now - entry.lastMs > 2 * MAX_MS;
    this.#entries.set(id, { delayMs: fresh ? INITIAL_MS : Math.min(entry.delayMs * 2, MAX_MS), lastMs: now });
  }

  /** Forgets set `key` (it is gone). */
  forget(key: string): void {
    for (const id of this.#entries.keys()) if (id.startsWith(`${key}/`)) this.#entries.delete(id);
  }
}
