/**
 * Time as the client sees it. Everything in client/ that waits (workqueue delays,
 * informer backoff and resync, leader election) reads and schedules through a
 * `Clock`, so unit tests drive time with `FakeClock` instead of sleeping.
 */

declare const timerBrand: unique symbol;

/** An opaque handle for a scheduled callback; only the clock that made it can cancel it. */
export type TimerHandle = { readonly [timerBrand]: true };

/** A source of the current time and of one-shot timers, in milliseconds. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds (0 or less: as soon as possible). */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer; a no-op when it already fired or was cancelled. */
  clearTimeout(handle: TimerHandle): void;
}

/** The wall clock and Node's timers. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms)) as unknown as TimerHandle,
  clearTimeout: (handle) => clearTimeout(handle as unknown as NodeJS.Timeout),
};

/**
 * Resolves after `ms` on `clock`, or as soon as `signal` aborts (it never rejects;
 * callers check `signal.aborted`). Leaves no timer behind either way.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      resolve();
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface FakeTimer {
  id: number;
  due: number;
  fn: () => void;
}

/**
 * A clock that moves only when told to. Timers fire in due-time order (ties in the
 * order they were set) when `step` or `advance` passes their due time.
 */
export class FakeClock implements Clock {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, FakeTimer>();
  #waiters: { count: number; resolve: () => void }[] = [];

  /** Starts at `start` ms since the epoch (default: 2026-01-01T00:00:00Z). */
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, { id, due: this.#now + Math.max(0, ms), fn });
    this.#wakeWaiters();
    return { id } as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete((handle as unknown as { id: number }).id);
  }

  /** How many timers are scheduled and not yet fired or cancelled. */
  pendingTimers(): number {
    return this.#timers.size;
  }

  /**
   * Moves time forward by `ms` synchronously, firing every timer due on the way at its
   * own due time. Timers that fired callbacks set are fired too when they fall due.
   */
  step(ms: number): void {
    const end = this.#now + ms;
    for (let timer = this.#nextDue(end); timer !== undefined; timer = this.#nextDue(end)) {
      this.#fire(timer);
    }
    this.#now = end;
  }

  /**
   * Like `step`, but lets pending promise continuations and I/O callbacks run before
   * and after each timer fires, so async code can react and schedule its next timer
   * within the same advance. Use this to drive code that awaits between timers.
   */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await settle();
    for (let timer = this.#nextDue(end); timer !== undefined; timer = this.#nextDue(end)) {
      this.#fire(timer);
      await settle();
    }
    this.#now = end;
    await settle();
  }

  /** Resolves once at least `count` timers are pending (for tests that wait for code to block). */
  waitForTimers(count: number): Promise<void> {
    if (this.#timers.size >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  #nextDue(end: number): FakeTimer | undefined {
    let next: FakeTimer | undefined;
    for (const timer of this.#timers.values()) {
      if (timer.due <= end && (next === undefined || timer.due < next.due)) next = timer;
    }
    return next;
  }

  #fire(timer: FakeTimer): void {
    this.#timers.delete(timer.id);
    this.#now = Math.max(this.#now, timer.due);
    timer.fn();
  }

  #wakeWaiters(): void {
    const ready = this.#waiters.filter((w) => this.#timers.size >= w.count);
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => this.#timers.size < w.count);
    for (const w of ready) w.resolve();
  }
}

/**
 * Lets every queued promise continuation and ready I/O callback run: a few turns of
 * the event loop, not a wall-clock wait.
 */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
