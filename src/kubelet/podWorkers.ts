/**
 * Per-pod serialized workers (upstream's pod workers): at most one sync per pod uid
 * runs at a time; updates arriving meanwhile fold into one more sync afterwards. A
 * sync may ask to run again after a delay (a back-off ends); failures retry after
 * `retryOnErrorMs`.
 */
import type { Clock, TimerHandle } from '../client/index.js';

/** One sync of one pod; resolves to a delay after which to sync again, if any. */
export type PodSyncFunction = (uid: string) => Promise<number | undefined>;

interface Worker {
  running: Promise<void> | undefined;
  pending: boolean;
  timer: TimerHandle | undefined;
}

/** The workers of one kubelet. */
export class PodWorkers {
  readonly #sync: PodSyncFunction;
  readonly #clock: Clock;
  readonly #onError: (err: unknown, uid: string) => void;
  readonly #retryOnErrorMs: number;
  readonly #workers = new Map<string, Worker>();
  #stopped = false;

  constructor(sync: PodSyncFunction, clock: Clock, onError: (err: unknown, uid: string) => void, retryOnErrorMs = 10_000) {
    this.#sync = sync;
    this.#clock = clock;
    this.#onError = onError;
    this.#retryOnErrorMs = retryOnErrorMs;
  }

  /** Asks for a sync of pod `uid`: now if idle, else right after the running one. */
  update(uid: string): void {
    if (this.#stopped) return;
    let worker = this.#workers.get(uid);
    if (worker === undefined) this.#workers.set(uid, (worker = { running: undefined, pending: false, timer: undefined }));
    if (worker.timer !== undefined) {
      this.#clock.clearTimeout(worker.timer);
      worker.timer = undefined;
    }
    if (worker.running !== undefined) {
      worker.pending = true;
      return;
    }
    worker.running = this.#run(uid, worker);
  }

  /** Pod uids with a worker. */
  uids(): string[] {
    return [...this.#workers.keys()];
  }

  async #run(uid: string, worker: Worker): Promise<void> {
    let again: number | undefined;
    do {
      worker.pending = false;
      try {
        again = await this.#sync(uid);
      } catch (err) {
        this.#onError(err, uid);
        again = this.#retryOnErrorMs;
      }
    } while (worker.pending && !this.#stopped);
    worker.running = undefined;
    if (again !== undefined && !this.#stopped) {
      worker.timer = this.#clock.setTimeout(() => {
        worker.timer = undefined;
        this.update(uid);
      }, again);
    }
  }

  /** Drops the worker of a pod that is gone for good (after its last sync). */
  remove(uid: string): void {
    const worker = this.#workers.get(uid);
    if (worker === undefined || worker.running !== undefined || worker.pending) return;
    if (worker.timer !== undefined) this.#clock.clearTimeout(worker.timer);
    this.#workers.delete(uid);
  }

  /** Stops accepting updates, cancels timers and waits for running syncs. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const worker of this.#workers.values()) {
      if (worker.timer !== undefined) this.#clock.clearTimeout(worker.timer);
      worker.timer = undefined;
    }
    await Promise.all([...this.#workers.values()].map((w) => w.running));
  }
}
