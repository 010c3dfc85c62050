/**
 * Hands out one shared informer per resource (and selector) so that every controller
 * in a process reads from the same cache over the same watch, and starts and stops
 * them together.
 */
import type { KubeObject } from '../api/object.js';
import type { Clock } from './clock.js';
import type { Indexers } from './indexer.js';
import { SharedInformer } from './informer.js';
import type { ResourceTarget } from './paths.js';
import type { RestClient } from './restClient.js';

/** Defaults for every informer of a factory. */
export interface InformerFactoryOptions {
  /** Default resync period for informers (absent/0 = never). */
  resyncPeriodMs?: number;
  clock?: Clock;
  onError?: (err: unknown, context: string) => void;
}

/** Per-informer choices; informers with different selectors are different informers. */
export interface InformerRequest<T extends KubeObject> {
  labelSelector?: string;
  fieldSelector?: string;
  /** Index functions added to the (possibly already existing) informer's cache. */
  indexers?: Indexers<T>;
}

/** Creates, shares, starts and syncs informers. */
export class InformerFactory {
  readonly #client: RestClient;
  readonly #options: InformerFactoryOptions;
  readonly #informers = new Map<string, SharedInformer<KubeObject>>();
  readonly #running = new Map<string, Promise<void>>();

  constructor(client: RestClient, options: InformerFactoryOptions = {}) {
    this.#client = client;
    this.#options = options;
  }

  /**
   * The informer for `target` with these selectors, created on first request. Index
   * functions may be added only before the factory starts it (names must not clash).
   */
  informerFor<T extends KubeObject = KubeObject>(target: ResourceTarget, request: InformerRequest<T> = {}): SharedInformer<T> {
    const key = JSON.stringify([target.group, target.version, target.resource, target.namespace ?? '', request.labelSelector ?? '', request.fieldSelector ?? '']);
    let informer = this.#informers.get(key) as SharedInformer<T> | undefined;
    if (informer === undefined) {
      informer = new SharedInformer<T>({
        client: this.#client,
        target,
        labelSelector: request.labelSelector,
        fieldSelector: request.fieldSelector,
        indexers: request.indexers,
        resyncPeriodMs: this.#options.resyncPeriodMs,
        clock: this.#options.clock,
        onError: this.#options.onError,
      });
      this.#informers.set(key, informer as unknown as SharedInformer<KubeObject>);
    } else if (request.indexers !== undefined) {
      if (this.#running.has(key)) throw new Error(`informer for ${target.resource} already started: cannot add indexers`);
      informer.indexer.addIndexers(request.indexers);
    }
    return informer;
  }

  /** Starts every informer requested so far and not yet running; call again after requesting more. */
  start(signal: AbortSignal): void {
    for (const [key, informer] of this.#informers) {
      if (this.#running.has(key)) continue;
      this.#running.set(key, informer.run(signal));
    }
  }

  /** Resolves true when every started informer has synced, false if `signal` aborts first. */
  async waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.#running.keys()].map((key) => this.#informers.get(key)!.waitForSync(signal)));
    return results.every(Boolean);
  }

  /** Resolves when every started informer has stopped (after the start signal aborted). */
  async stopped(): Promise<void> {
    await Promise.all(this.#running.values());
  }
}
