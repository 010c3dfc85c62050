/**
 * Shared informers: one list-and-watch per resource feeding one indexed cache, with
 * any number of event handlers. Controllers read state through the informer's lister
 * and react to changes through handlers (typically: enqueue the object's key).
 *
 * Handlers run synchronously, in event order, on the informer's own loop: keep them
 * short (enqueue and return). An exception in a handler is reported and does not stop
 * the informer or other handlers.
 */
import type { KubeObject } from '../api/object.js';
import { realClock } from './clock.js';
import type { Clock, TimerHandle } from './clock.js';
import { Indexer, objectKey } from './indexer.js';
import type { Indexers } from './indexer.js';
import { Lister } from './lister.js';
import type { ResourceTarget } from './paths.js';
import { Reflector } from './reflector.js';
import type { ReflectorSink } from './reflector.js';
import type { RestClient } from './restClient.js';

/**
 * The last known state of an object whose deletion was not seen as a watch event but
 * inferred from a relist (upstream `DeletedFinalStateUnknown`): `obj` may be stale.
 */
export interface DeletedFinalStateUnknown<T extends KubeObject> {
  readonly tombstone: true;
  readonly key: string;
  readonly obj: T;
}

/** True when a deleted value is a tombstone rather than the object itself. */
export function isTombstone<T extends KubeObject>(value: T | DeletedFinalStateUnknown<T>): value is DeletedFinalStateUnknown<T> {
  return (value as Partial<DeletedFinalStateUnknown<T>>).tombstone === true;
}

/** The object inside a delete notification, whether it is a tombstone or not. */
export function deletedObject<T extends KubeObject>(value: T | DeletedFinalStateUnknown<T>): T {
  return isTombstone(value) ? value.obj : value;
}

/** Callbacks for changes to the cache. */
export interface EventHandler<T extends KubeObject> {
  /** A new object; `isInInitialList` is true for objects of the first snapshot (or replayed to a late handler). */
  onAdd?(obj: T, isInInitialList: boolean): void;
  /** A changed object; also called with the same object on relists and resyncs (compare resourceVersions). */
  onUpdate?(oldObj: T, newObj: T): void;
  /** A removed object, or a tombstone when the removal was inferred from a relist. */
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

/** Handle to remove a handler. */
export interface HandlerRegistration {
  remove(): void;
}

/** How an informer watches and caches one resource. */
export interface InformerOptions<T extends KubeObject> {
  client: RestClient;
  target: ResourceTarget;
  labelSelector?: string;
  fieldSelector?: string;
  /** Extra index functions besides the namespace index. */
  indexers?: Indexers<T>;
  /** Every this many ms, every cached object is re-announced via onUpdate(obj, obj). Absent/0 = never. */
  resyncPeriodMs?: number;
  /** LIST page size (default 500). */
  pageSize?: number;
  clock?: Clock;
  /** Told about failed lists/watches and throwing handlers (default: printed to stderr). */
  onError?: (err: unknown, context: string) => void;
}

const defaultOnError = (err: unknown, context: string): void => {
  console.error(`informer: ${context}:`, err);
};

/** A shared informer; see the module comment. Run it once with `run(signal)`. */
export class SharedInformer<T extends KubeObject> implements ReflectorSink<T> {
  /** The cache; read it through `lister` unless you need raw index access. */
  readonly indexer: Indexer<T>;
  readonly lister: Lister<T>;
  readonly #handlers = new Set<EventHandler<T>>();
  readonly #reflector: Reflector<T>;
  readonly #clock: Clock;
  readonly #resyncPeriodMs: number;
  readonly #onError: (err: unknown, context: string) => void;
  #synced = false;
  #started = false;
  #syncWaiters = new Set<() => void>();

  constructor(options: InformerOptions<T>) {
    this.indexer = new Indexer<T>(options.indexers);
    this.lister = new Lister(this.indexer);
    this.#clock = options.clock ?? realClock;
    this.#resyncPeriodMs = options.resyncPeriodMs ?? 0;
    this.#onError = options.onError ?? defaultOnError;
    this.#reflector = new Reflector<T>(this, {
      client: options.client,
      target: options.target,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      pageSize: options.pageSize,
      clock: this.#clock,
      onError: (err) => this.#onError(err, 'list/watch failed'),
    });
  }

  /**
   * Adds a handler. Objects already cached are announced to it at once as adds
   * (`isInInitialList` true), so late handlers miss nothing.
   */
  addEventHandler(handler: EventHandler<T>): HandlerRegistration {
    this.#handlers.add(handler);
    for (const obj of this.indexer.list()) this.#call('onAdd', () => handler.onAdd?.(obj, true));
    return { remove: () => this.#handlers.delete(handler) };
  }

  /** True once the first full snapshot is in the cache and was announced to handlers. */
  hasSynced(): boolean {
    return this.#synced;
  }

  /** Resolves true when synced, or false if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.#synced) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onSynced = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      };
      const onAbort = (): void => {
        this.#syncWaiters.delete(onSynced);
        resolve(false);
      };
      this.#syncWaiters.add(onSynced);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The resourceVersion the cache reflects (`''` before the first list). */
  get lastSyncResourceVersion(): string {
    return this.#reflector.lastSyncResourceVersion;
  }

  /**
   * Lists, watches and keeps the cache current until `signal` aborts; resolves then with
   * no request or timer left. An informer runs at most once.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#started) throw new Error('informer already started');
    this.#started = true;
    let resyncTimer: TimerHandle | undefined;
    const scheduleResync = (): void => {
      resyncTimer = this.#clock.setTimeout(() => {
        if (this.#synced) this.#resync();
        scheduleResync();
      }, this.#resyncPeriodMs);
    };
    const stopResync = (): void => {
      if (resyncTimer !== undefined) this.#clock.clearTimeout(resyncTimer);
    };
    if (this.#resyncPeriodMs > 0 && !signal.aborted) {
      scheduleResync();
      signal.addEventListener('abort', stopResync, { once: true });
    }
    try {
      await this.#reflector.run(signal);
    } finally {
      stopResync();
      signal.removeEventListener('abort', stopResync);
    }
  }

  /** ReflectorSink: a full snapshot. Announces adds, updates and inferred deletes. */
  replace(objects: T[], _resourceVersion: string): void {
    const initial = !this.#synced;
    const fresh = new Set<string>();
    for (const obj of objects) {
      fresh.add(objectKey(obj));
      const old = this.indexer.set(obj);
      if (old === undefined) this.#emit('onAdd', (h) => h.onAdd?.(obj, initial));
      else this.#emit('onUpdate', (h) => h.onUpdate?.(old, obj));
    }
    for (const key of this.indexer.keys()) {
      if (fresh.has(key)) continue;
      const old = this.indexer.delete(key)!;
      const tombstone: DeletedFinalStateUnknown<T> = { tombstone: true, key, obj: old };
      this.#emit('onDelete', (h) => h.onDelete?.(tombstone));
    }
    if (initial) {
      this.#synced = true;
      const waiters = [...this.#syncWaiters];
      this.#syncWaiters.clear();
      for (const wake of waiters) wake();
    }
  }

  /** ReflectorSink: one watch event. */
  apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: T): void {
    if (type === 'DELETED') {
      this.indexer.delete(objectKey(obj));
      this.#emit('onDelete', (h) => h.onDelete?.(obj));
      return;
    }
    const old = this.indexer.set(obj);
    if (old === undefined) this.#emit('onAdd', (h) => h.onAdd?.(obj, false));
    else this.#emit('onUpdate', (h) => h.onUpdate?.(old, obj));
  }

  #resync(): void {
    for (const obj of this.indexer.list()) this.#emit('onUpdate', (h) => h.onUpdate?.(obj, obj));
  }

  #emit(what: string, call: (handler: EventHandler<T>) => void): void {
    for (const handler of [...this.#handlers]) this.#call(what, () => call(handler));
  }

  #call(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#onError(err, `${what} handler threw`);
    }
  }
}
