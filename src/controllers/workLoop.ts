/**
 * The loop shared by controllers: a work queue of keys (namespace
 * names, or `namespace/name`), filled by informer handlers, drained by workers that
 * call `sync(key)` once the informers have synced; failures are retried with the
 * default controller backoff and logged.
 */
import { WorkQueue } from '../client/index.js';
import type { Clock, RateLimiter, SharedInformer } from '../client/index.js';
import type { KubeObject } from '../api/object.js';

/** What a work loop runs. */
export interface WorkLoopOptions {
  clock: Clock;
  /** Informers whose caches `sync` reads; workers start once all have synced. */
  informers: readonly Pick<SharedInformer<KubeObject>, 'waitForSync'>[];
  sync(key: string, signal: AbortSignal): Promise<void>;
  log(message: string): void;
  /** Parallel workers (default 1). */
  workers?: number;
  /** Pacing of retries (default: upstream's default controller rate limiter). */
  rateLimiter?: RateLimiter<string>;
}

/** A work queue of keys and the workers draining it. */
export class WorkLoop {
  readonly #queue: WorkQueue<string>;
  readonly #options: WorkLoopOptions;

  constructor(options: WorkLoopOptions) {
    this.#options = options;
    this.#queue = new WorkQueue<string>({ clock: options.clock, ...(options.rateLimiter !== undefined ? { rateLimiter: options.rateLimiter } : {}) });
  }

  /** Queues `key` for a sync. */
  enqueue(key: string): void {
    this.#queue.add(key);
  }

  /** Queues `key` for a sync after `delayMs`. */
  enqueueAfter(key: string, delayMs: number): void {
    this.#queue.addAfter(key, delayMs);
  }

  /** Waits for the informers, then works until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const stop = (): void => this.#queue.shutdown();
    signal.addEventListener('abort', stop, { once: true });
    try {
      for (const informer of this.#options.informers) if (!(await informer.waitForSync(signal))) return;
      await Promise.all(Array.from({ length: this.#options.workers ?? 1 }, () => this.#work(signal)));
    } finally {
      stop();
      signal.removeEventListener('abort', stop);
    }
  }

  async #work(signal: AbortSignal): Promise<void> {
    for (let key = await this.#queue.get(); key !== undefined; key = await this.#queue.get()) {
      try {
        if (signal.aborted) continue;
        await this.#options.sync(key, signal);
        this.#queue.forget(key);
      } catch (err) {
        if (!signal.aborted) {
          this.#queue.addRateLimited(key);
          this.#options.log(`syncing ${key} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      } finally {
        this.#queue.done(key);
      }
    }
  }
}
