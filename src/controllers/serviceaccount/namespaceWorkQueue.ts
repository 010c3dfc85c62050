/**
 * The loop shared by controllers that keep something in every namespace: a work
 * queue of namespace names, filled by informer handlers, drained by workers that
 * call `sync(namespace)` once the informers have synced; failures are retried with
 * the default controller backoff and logged.
 */
import { WorkQueue } from '../../client/index.js';
import type { Clock, SharedInformer } from '../../client/index.js';
import type { KubeObject } from '../../api/object.js';

/** What a namespace work loop runs. */
export interface NamespaceWorkLoopOptions {
  clock: Clock;
  /** Informers whose caches `sync` reads; workers start once all have synced. */
  informers: readonly SharedInformer<KubeObject>[];
  sync(namespace: string, signal: AbortSignal): Promise<void>;
  log(message: string): void;
  /** Parallel workers (default 1). */
  workers?: number;
}

/** A work queue of namespaces and the workers draining it. */
export class NamespaceWorkLoop {
  readonly #queue: WorkQueue<string>;
  readonly #options: NamespaceWorkLoopOptions;

  constructor(options: NamespaceWorkLoopOptions) {
    this.#options = options;
    this.#queue = new WorkQueue<string>({ clock: options.clock });
  }

  /** Queues `namespace` for a sync. */
  enqueue(namespace: string): void {
    this.#queue.add(namespace);
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
    for (let namespace = await this.#queue.get(); namespace !== undefined; namespace = await this.#queue.get()) {
      try {
        if (signal.aborted) continue;
        await this.#options.sync(namespace, signal);
        this.#queue.forget(namespace);
      } catch (err) {
        if (!signal.aborted) {
          this.#queue.addRateLimited(namespace);
          this.#options.log(`syncing namespace ${namespace} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      } finally {
        this.#queue.done(namespace);
      }
    }
  }
}
