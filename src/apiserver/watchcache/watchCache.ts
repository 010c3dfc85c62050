/**
 * The watch cache of one storage prefix (one resource): a full in-memory copy of
 * its objects, fed by a single storage watch, plus a window of recent events so
 * watchers can resume from a recent resourceVersion. Every LIST and WATCH of the
 * resource is answered from here; many watchers never mean many storage watches.
 */
import type { KubeObject } from '../../api/object.js';
import type { Store, StoreEvent, StoreWatch } from '../../storage/store.js';
import type { StorageError } from '../../storage/store.js';
import { EventWindow } from './eventWindow.js';

/** A cache watcher's callbacks; `onClose` is called once when the cache drops it. */
export interface CacheWatcher {
  onEvent(event: StoreEvent): void;
  onClose(reason: 'resync' | 'stopped'): void;
}

/** A subscription returned by `watch`; `stop()` removes it. */
export interface CacheSubscription {
  stop(): void;
}

/** Thrown by `watch` when the requested revision is older than the event window. */
export class TooOldRevisionError extends Error {
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(`too old resource version: ${requested} (${oldest})`);
    this.name = 'TooOldRevisionError';
  }
}

/** Options of a watch cache. */
export interface WatchCacheOptions {
  /** How many recent events to keep for resuming watches. */
  windowSize: number;
}

/** The cache of one prefix. Call `start()` once; `ready` resolves after the first list. */
export class WatchCache {
  readonly prefix: string;
  private readonly store: Store;
  private readonly objects = new Map<string, KubeObject>();
  private readonly window: EventWindow;
  private readonly watchers = new Set<CacheWatcher>();
  private readonly revisionWaiters = new Set<{ revision: number; resolve: () => void }>();
  private storageWatch: StoreWatch | undefined;
  private currentRevision = 0;
  private stopped = false;
  private readyPromise: Promise<void> | undefined;

  constructor(store: Store, prefix: string, options: WatchCacheOptions) {
    this.store = store;
    this.prefix = prefix;
    this.window = new EventWindow(options.windowSize);
  }

  /** The revision up to which the cache reflects storage. */
  get revision(): number {
    return this.currentRevision;
  }

  /** Lists storage and starts the storage watch; resolves when the cache is filled. */
  ready(): Promise<void> {
    this.readyPromise ??= this.fill();
    return this.readyPromise;
  }

  /** Stops the storage watch and closes every watcher. */
  stop(): void {
    this.stopped = true;
    this.storageWatch?.stop();
    for (const watcher of this.watchers) watcher.onClose('stopped');
    this.watchers.clear();
    for (const waiter of this.revisionWaiters) waiter.resolve();
    this.revisionWaiters.clear();
  }

  /** Number of objects in the cache. */
  get size(): number {
    return this.objects.size;
  }

  /** Resolves once the cache has seen `revision` (or after `timeoutMs`, returning false). */
  async waitForRevision(revision: number, timeoutMs: number): Promise<boolean> {
    await this.ready();
    if (this.currentRevision >= revision) return true;
    return new Promise<boolean>((resolve) => {
      const waiter = {
        revision,
        resolve: () => {
          clearTimeout(timer);
          this.revisionWaiters.delete(waiter);
          resolve(this.currentRevision >= revision);
        },
      };
      const timer = setTimeout(waiter.resolve, timeoutMs);
      this.revisionWaiters.add(waiter);
    });
  }

  /** The cached object at `key`, if any. */
  get(key: string): KubeObject | undefined {
    return this.objects.get(key);
  }

  /** Cached objects whose key starts with `keyPrefix`, sorted by key, filtered by `predicate`. */
  list(keyPrefix: string, predicate?: (obj: KubeObject) => boolean): KubeObject[] {
    const out: [string, KubeObject][] = [];
    for (const [key, obj] of this.objects) {
      if (key.startsWith(keyPrefix) && (predicate === undefined || predicate(obj))) out.push([key, obj]);
    }
    out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return out.map(([, obj]) => obj);
  }

  /**
   * Subscribes `watcher` to every event with revision > `afterRevision`; recent events
   * are replayed first, synchronously, so nothing is missed at the seam.
   * Throws TooOldRevisionError when the window no longer holds that history.
   */
  watch(afterRevision: number, watcher: CacheWatcher): CacheSubscription {
    if (afterRevision < this.currentRevision) {
      const replay = this.window.since(afterRevision);
      if (replay === undefined) throw new TooOldRevisionError(afterRevision, this.window.oldestRevision(this.currentRevision));
      for (const event of replay) watcher.onEvent(event);
    }
    this.watchers.add(watcher);
    return { stop: () => this.watchers.delete(watcher) };
  }

  private async fill(): Promise<void> {
    const items: KubeObject[] = [];
    let continueToken: string | undefined;
    let revision = 0;
    do {
      const page = await this.store.list(this.prefix, continueToken === undefined ? { limit: 10000 } : { limit: 10000, continue: continueToken });
      items.push(...page.items);
      revision = page.revision;
      continueToken = page.continue;
    } while (continueToken !== undefined);
    this.objects.clear();
    for (const obj of items) this.objects.set(keyOf(this.prefix, obj), obj);
    this.currentRevision = revision;
    this.window.reset(revision);
    this.storageWatch = this.store.watch(this.prefix, revision, {
      onEvents: (events) => this.apply(events),
      onError: (err) => this.restart(err),
    });
  }

  private apply(events: StoreEvent[]): void {
    for (const event of events) {
      if (event.revision <= this.currentRevision) continue;
      if (event.type === 'DELETED') this.objects.delete(event.key);
      else this.objects.set(event.key, event.object);
      this.currentRevision = event.revision;
      this.window.push(event);
      for (const watcher of this.watchers) watcher.onEvent(event);
    }
    for (const waiter of this.revisionWaiters) if (this.currentRevision >= waiter.revision) waiter.resolve();
  }

  /** The storage watch failed (e.g. compacted past us): relist and drop every watcher. */
  private restart(_err: StorageError): void {
    if (this.stopped) return;
    this.storageWatch?.stop();
    for (const watcher of this.watchers) watcher.onClose('resync');
    this.watchers.clear();
    this.readyPromise = this.fill();
    this.readyPromise.catch(() => {
      // A failed refill is retried by the next request through ready().
      this.readyPromise = undefined;
    });
  }
}

/** The storage key of a cached object under `prefix`. */
function keyOf(prefix: string, obj: KubeObject): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${prefix}${namespace}/${name}` : `${prefix}${name}`;
}
