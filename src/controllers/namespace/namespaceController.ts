/**
 * The namespace lifecycle controller: watches namespaces and, for each one being
 * deleted, empties it and releases its `kubernetes` finalizer (see namespaceDeleter).
 * Level-based: `sync(name)` looks at the namespace as it is now and is safe to run
 * again. Namespace events are handled after a delay (upstream: 5 s, so that every
 * API server sees the deletion before cleanup starts); content still going away is
 * looked at again after half its estimated time; failures retry with backoff.
 */
import { BucketRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter, serverPreferredResources } from '../../client/index.js';
import type { Clock, RateLimiter, SharedInformer } from '../../client/index.js';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controller.js';
import { WorkLoop } from '../workLoop.js';
import type { DiscoverResources, NamespaceObject } from './namespaceContent.js';
import { ResourcesRemainingError, deleteNamespace } from './namespaceDeleter.js';
import type { NamespaceDeleterDeps } from './namespaceDeleter.js';

/** Tuning of the namespace controller; the defaults are upstream's. */
export interface NamespaceControllerOptions {
  /** Namespaces processed at once (default 10, upstream `--concurrent-namespace-syncs`). */
  workers?: number;
  /** Delay between a namespace event and its processing (default 5000 ms). */
  deletionGracePeriodMs?: number;
  /** How resources are discovered (default: the server's preferred resources through the client). */
  discover?: DiscoverResources;
}

/**
 * Upstream's namespace queue pacing: per-item backoff from 5 ms up to 60 s (so a
 * stuck namespace is retried at least every minute), overall 10 per second, bursts of 100.
 */
export function namespaceRateLimiter(clock: Clock): RateLimiter<string> {
  return new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter<string>(5, 60_000), new BucketRateLimiter<string>(10, 100, clock));
}

/** The namespace controller; see the module comment. */
export class NamespaceController implements Controller {
  readonly #informer: SharedInformer<NamespaceObject>;
  readonly #loop: WorkLoop;
  readonly #deps: NamespaceDeleterDeps;

  constructor(context: ControllerContext, options: NamespaceControllerOptions = {}) {
    const { client, clock, log } = context;
    this.#deps = { client, clock, log, discover: options.discover ?? ((signal) => serverPreferredResources(client, signal)) };
    this.#informer = context.informers.informerFor<NamespaceObject>({ group: '', version: 'v1', resource: 'namespaces' });
    this.#loop = new WorkLoop({
      clock,
      informers: [this.#informer],
      sync: (name, signal) => this.#process(name, signal),
      log,
      workers: options.workers ?? 10,
      rateLimiter: namespaceRateLimiter(clock),
    });
    const delay = options.deletionGracePeriodMs ?? 5000;
    const enqueue = (namespace: NamespaceObject): void => {
      if (namespace.metadata.deletionTimestamp === undefined) return;
      this.#loop.enqueueAfter(namespace.metadata.name ?? '', delay);
    };
    this.#informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, namespace) => enqueue(namespace) });
  }

  /**
   * One pass for the namespace `name`: nothing when it is not in the cache (gone);
   * otherwise a deletion pass (see `deleteNamespace`), whose errors it passes on.
   */
  async sync(name: string, signal?: AbortSignal): Promise<void> {
    if (this.#informer.lister.get(name) === undefined) return;
    await deleteNamespace(name, this.#deps, signal);
  }

  /** Waits for the namespace cache, then runs the workers until `signal` aborts (the queue then shuts down). */
  run(signal: AbortSignal): Promise<void> {
    return this.#loop.run(signal);
  }

  /** A sync; content still going away is looked at again after half its estimated time. */
  async #process(name: string, signal: AbortSignal): Promise<void> {
    try {
      await this.sync(name, signal);
    } catch (err) {
      if (!(err instanceof ResourcesRemainingError)) throw err;
      this.#loop.enqueueAfter(name, (Math.floor(err.estimateSeconds / 2) + 1) * 1000);
    }
  }
}

/** The namespace controller as the manager builds it (upstream name `namespace`). */
export const namespaceControllerDescriptor: ControllerDescriptor = {
  name: 'namespace',
  create: (context) => new NamespaceController(context),
};
