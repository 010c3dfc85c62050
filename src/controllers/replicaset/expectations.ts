/**
 * Controller expectations (upstream `UIDTrackingControllerExpectations`): after a
 * sync asks for pod creations and deletions, the controller waits until its informer
 * has seen them before it counts pods again, so a lagging watch never makes it create
 * or delete twice. Expectations expire after five minutes, in case an event is lost.
 */
import type { Clock } from '../../client/index.js';

/** Upstream `ExpectationsTimeout`. */
export const EXPECTATIONS_TTL_MS = 5 * 60 * 1000;

interface Pending {
  adds: number;
  deletes: Set<string>;
  since: number;
}

/** Creations and deletions each controller key still waits to observe. */
export class Expectations {
  readonly #clock: Clock;
  readonly #byKey = new Map<string, Pending>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** True when `key` waits for nothing (or its wait has expired): its pods may be counted. */
  satisfied(key: string): boolean {
    const pending = this.#byKey.get(key);
    if (pending === undefined) return true;
    if (pending.adds <= 0 && pending.deletes.size === 0) return true;
    return this.#clock.now() - pending.since > EXPECTATIONS_TTL_MS;
  }

  /** Records that `key` is about to create `count` pods (replacing any earlier record). */
  expectCreations(key: string, count: number): void {
    this.#byKey.set(key, { adds: count, deletes: new Set(), since: this.#clock.now() });
  }

  /** Records that `key` is about to delete these pods (by `namespace/name`). */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.#byKey.set(key, { adds: 0, deletes: new Set(podKeys), since: this.#clock.now() });
  }

  /** One creation for `key` was seen (or will never happen). */
  creationObserved(key: string): void {
    const pending = this.#byKey.get(key);
    if (pending !== undefined) pending.adds--;
  }

  /** The deletion of `podKey` for `key` was seen (or will never happen). */
  deletionObserved(key: string, podKey: string): void {
    this.#byKey.get(key)?.deletes.delete(podKey);
  }

  /** Forgets `key` (its controller is gone). */
  forget(key: string): void {
    this.#byKey.delete(key);
  }
}
