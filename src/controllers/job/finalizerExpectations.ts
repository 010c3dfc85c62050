/**
 * Upstream `uidTrackingExpectations` for tracking finalizers: the pods (by uid) whose
 * finalizer a Job's sync removed but whose update the informer has not shown yet. A
 * sync skips them, so a pod counted and released once is never counted again.
 */

/** Per Job key, the pod uids whose finalizer removal is not observed yet. */
export class FinalizerExpectations {
  readonly #byKey = new Map<string, Set<string>>();

  /** The uids `key` still waits for. */
  expected(key: string): ReadonlySet<string> {
    return this.#byKey.get(key) ?? new Set();
  }

  /** Records that `key` is removing the finalizer of these pods. */
  expectRemovals(key: string, uids: readonly string[]): void {
    const set = this.#byKey.get(key) ?? new Set<string>();
    for (const uid of uids) set.add(uid);
    this.#byKey.set(key, set);
  }

  /** The removal for pod `uid` was seen (or will never happen). */
  observed(key: string, uid: string): void {
    const set = this.#byKey.get(key);
    set?.delete(uid);
    if (set?.size === 0) this.#byKey.delete(key);
  }

  /** Forgets `key` (its Job is gone). */
  forget(key: string): void {
    this.#byKey.delete(key);
  }
}
