/**
 * The controllers' work queue, with client-go's semantics:
 * - an item queued several times before it is handed out is handed out once (dirty set);
 * - an item being processed is never handed out again until `done` is called for it;
 *   if it was added meanwhile, `done` queues it again (processing set);
 * - `addAfter` delays an item (the earliest of several pending delays wins);
 * - `addRateLimited` delays it by its rate limiter, `forget` resets its backoff;
 * - after `shutdown`, `add`s are ignored and `get` hands out what remains, then `undefined`.
 * Items are compared with SameValueZero (use strings, e.g. `namespace/name` keys).
 */
import { realClock } from './clock.js';
import type { Clock, TimerHandle } from './clock.js';
import { defaultControllerRateLimiter } from './rateLimiter.js';
import type { RateLimiter } from './rateLimiter.js';

/** How a queue measures time and paces retries. */
export interface WorkQueueOptions<T> {
  clock?: Clock;
  /** Default: `defaultControllerRateLimiter` on the queue's clock. */
  rateLimiter?: RateLimiter<T>;
  /** Shuts the queue down (as `shutdown`) when aborted. */
  signal?: AbortSignal;
}

/** A rate-limited, delaying, deduplicating work queue; see the module comment. */
export class WorkQueue<T> {
  readonly #clock: Clock;
  readonly #rateLimiter: RateLimiter<T>;
  #queue: T[] = [];
  readonly #dirty = new Set<T>();
  readonly #processing = new Set<T>();
  readonly #waiting = new Map<T, { readyAt: number; timer: TimerHandle }>();
  #getters: ((item: T | undefined) => void)[] = [];
  #shuttingDown = false;
  #drained: (() => void) | undefined;

  constructor(options: WorkQueueOptions<T> = {}) {
    this.#clock = options.clock ?? realClock;
    this.#rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<T>(this.#clock);
    const { signal } = options;
    if (signal?.aborted) this.shutdown();
    else signal?.addEventListener('abort', () => this.shutdown(), { once: true });
  }

  /** Queues `item` unless it is already queued; if it is being processed, queues it after `done`. */
  add(item: T): void {
    if (this.#shuttingDown || this.#dirty.has(item)) return;
    this.#dirty.add(item);
    if (this.#processing.has(item)) return;
    this.#queue.push(item);
    this.#dispatch();
  }

  /** Queues `item` after `delayMs` (at once when ≤ 0). A pending earlier delay for the same item wins. */
  addAfter(item: T, delayMs: number): void {
    if (this.#shuttingDown) return;
    if (delayMs <= 0) {
      this.add(item);
      return;
    }
    const readyAt = this.#clock.now() + delayMs;
    const pending = this.#waiting.get(item);
    if (pending !== undefined) {
      if (pending.readyAt <= readyAt) return;
      this.#clock.clearTimeout(pending.timer);
    }
    const timer = this.#clock.setTimeout(() => {
      this.#waiting.delete(item);
      this.add(item);
    }, delayMs);
    this.#waiting.set(item, { readyAt, timer });
  }

  /** Queues `item` after the delay its rate limiter gives (one more failure counted). */
  addRateLimited(item: T): void {
    this.addAfter(item, this.#rateLimiter.when(item));
  }

  /** Resets `item`'s failure count (call when it was processed successfully). */
  forget(item: T): void {
    this.#rateLimiter.forget(item);
  }

  /** How many times `item` was rate-limited since last forgotten. */
  numRequeues(item: T): number {
    return this.#rateLimiter.numRequeues(item);
  }

  /**
   * The next item, waiting until there is one. Resolves `undefined` once the queue is
   * shut down and empty: the worker should then return. Call `done(item)` after each item.
   */
  get(): Promise<T | undefined> {
    if (this.#queue.length > 0) return Promise.resolve(this.#take());
    if (this.#shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  /** Marks `item` as processed; queues it again if it was added while processing. */
  done(item: T): void {
    this.#processing.delete(item);
    if (this.#dirty.has(item)) {
      this.#queue.push(item);
      this.#dispatch();
    }
    if (this.#drained !== undefined && this.#processing.size === 0) {
      this.#drained();
      this.#drained = undefined;
    }
  }

  /** Items queued and not yet handed out (delayed items not included). */
  len(): number {
    return this.#queue.length;
  }

  /** True after `shutdown` or `shutDownWithDrain`. */
  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Stops accepting items and cancels delayed ones; waiting `get`s resolve once the queue is empty. */
  shutdown(): void {
    this.#shuttingDown = true;
    for (const { timer } of this.#waiting.values()) this.#clock.clearTimeout(timer);
    this.#waiting.clear();
    this.#dispatch();
  }

  /** Like `shutdown`, then resolves once every handed-out item is `done`. */
  shutDownWithDrain(): Promise<void> {
    this.shutdown();
    if (this.#processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.#drained;
      this.#drained = () => {
        previous?.();
        resolve();
      };
    });
  }

  #take(): T {
    const item = this.#queue.shift()!;
    this.#processing.add(item);
    this.#dirty.delete(item);
    return item;
  }

  #dispatch(): void {
    while (this.#getters.length > 0 && this.#queue.length > 0) this.#getters.shift()!(this.#take());
    if (this.#shuttingDown && this.#queue.length === 0) {
      const getters = this.#getters;
      this.#getters = [];
      for (const resolve of getters) resolve(undefined);
    }
  }
}
