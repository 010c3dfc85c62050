/**
 * Rate limiters for the workqueue, as client-go's: how long an item should wait
 * before it is retried. The default controller limiter is the larger of a per-item
 * exponential backoff (5 ms doubling up to 1000 s) and an overall token bucket
 * (10 per second, bursts of 100).
 */
import type { Clock } from './clock.js';

/** Decides retry delays per item. */
export interface RateLimiter<T> {
  /** Milliseconds `item` should wait now; counts as one more failure. */
  when(item: T): number;
  /** Stops tracking `item` (it succeeded): its backoff starts over. */
  forget(item: T): void;
  /** How many failures `item` has had since last forgotten. */
  numRequeues(item: T): number;
}

/** `base * 2^failures`, capped at `max`, per item. */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  readonly #failures = new Map<T, number>();
  readonly #baseMs: number;
  readonly #maxMs: number;

  constructor(baseMs: number, maxMs: number) {
    this.#baseMs = baseMs;
    this.#maxMs = maxMs;
  }

  when(item: T): number {
    const failures = this.#failures.get(item) ?? 0;
    this.#failures.set(item, failures + 1);
    const delay = this.#baseMs * 2 ** failures;
    return Number.isFinite(delay) ? Math.min(delay, this.#maxMs) : this.#maxMs;
  }

  forget(item: T): void {
    this.#failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.#failures.get(item) ?? 0;
  }
}

/**
 * A token bucket shared by all items: `burst` tokens, refilled at `qps` per second;
 * each `when` takes a token and waits, if the bucket is empty, until its token is due.
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  readonly #qps: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;

  constructor(qps: number, burst: number, clock: Clock) {
    this.#qps = qps;
    this.#burst = burst;
    this.#clock = clock;
    this.#tokens = burst;
    this.#last = clock.now();
  }

  when(_item: T): number {
    const now = this.#clock.now();
    if (now > this.#last) {
      this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) * this.#qps) / 1000);
      this.#last = now;
    }
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens * 1000) / this.#qps;
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** The longest delay of several limiters; forgets in all of them. */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  readonly #limiters: readonly RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.#limiters = limiters;
  }

  when(item: T): number {
    let delay = 0;
    for (const limiter of this.#limiters) delay = Math.max(delay, limiter.when(item));
    return delay;
  }

  forget(item: T): void {
    for (const limiter of this.#limiters) limiter.forget(item);
  }

  numRequeues(item: T): number {
    let count = 0;
    for (const limiter of this.#limiters) count = Math.max(count, limiter.numRequeues(item));
    return count;
  }
}

/** client-go's `DefaultControllerRateLimiter`: max(5 ms·2ⁿ up to 1000 s, 10 qps / 100 burst). */
export function defaultControllerRateLimiter<T>(clock: Clock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(
    new ItemExponentialFailureRateLimiter<T>(5, 1_000_000),
    new BucketRateLimiter<T>(10, 100, clock),
  );
}
