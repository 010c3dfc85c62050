/**
 * Watches for backends whose writes all happen in this process (memory, SQLite): a
 * watch first replays the retained log from its start revision in chunks, then joins
 * the live feed that the backend publishes right after each commit. The last replay
 * read and the switch to live happen in one synchronous step, so no write can fall in
 * the seam: every event arrives once, in revision order.
 */
import type { KvEvent, KvWatchSink } from './kv.js';
import { StorageError } from './store.js';

/** What the hub needs from the backend's log; all reads are synchronous. */
export interface LocalLog {
  /** Events under `prefix` with revision > `afterRevision`, ascending, at most `limit`. */
  readEvents(prefix: string, afterRevision: number, limit: number): KvEvent[];
  /** The oldest revision a watch may start after. */
  compactedRevision(): number;
}

const REPLAY_CHUNK = 1000;

interface LocalWatcher {
  prefix: string;
  /** Revision of the last event handed to the sink. */
  cursor: number;
  sink: KvWatchSink;
  queue: KvEvent[];
  flushScheduled: boolean;
  stopped: boolean;
}

/** Fans committed events out to local watchers, with replay from the backend's log. */
export class LocalWatchHub {
  private readonly live = new Set<LocalWatcher>();
  private readonly all = new Set<LocalWatcher>();

  constructor(private readonly log: LocalLog) {}

  /** Starts a watch (see `Kv.watch`); returns its cancel function. */
  watch(prefix: string, afterRevision: number, sink: KvWatchSink): () => void {
    const watcher: LocalWatcher = { prefix, cursor: afterRevision, sink, queue: [], flushScheduled: false, stopped: false };
    this.all.add(watcher);
    setImmediate(() => this.replay(watcher));
    return () => this.remove(watcher);
  }

  /** Hands events committed just now (ascending revisions) to live watchers. */
  publish(events: readonly KvEvent[]): void {
    if (events.length === 0) return;
    for (const watcher of this.live) {
      const matching = events.filter((e) => e.revision > watcher.cursor && e.key.startsWith(watcher.prefix));
      this.deliver(watcher, matching);
    }
  }

  /** Ends every watch with `err` (e.g. when the store closes). */
  failAll(err: StorageError): void {
    for (const watcher of [...this.all]) this.fail(watcher, err);
  }

  private replay(watcher: LocalWatcher): void {
    if (watcher.stopped) return;
    let events: KvEvent[];
    try {
      const compacted = this.log.compactedRevision();
      if (watcher.cursor < compacted) {
        throw new StorageError('Compacted', watcher.prefix, `required revision ${watcher.cursor} has been compacted`, compacted);
      }
      events = this.log.readEvents(watcher.prefix, watcher.cursor, REPLAY_CHUNK);
    } catch (err) {
      this.fail(watcher, err instanceof StorageError ? err : new StorageError('Unavailable', watcher.prefix, String(err)));
      return;
    }
    this.deliver(watcher, events);
    if (events.length < REPLAY_CHUNK) {
      this.live.add(watcher);
    } else {
      setImmediate(() => this.replay(watcher));
    }
  }

  private deliver(watcher: LocalWatcher, events: KvEvent[]): void {
    const last = events[events.length - 1];
    if (last === undefined) return;
    watcher.cursor = last.revision;
    watcher.queue.push(...events);
    if (watcher.flushScheduled) return;
    watcher.flushScheduled = true;
    queueMicrotask(() => {
      watcher.flushScheduled = false;
      if (watcher.stopped || watcher.queue.length === 0) return;
      const batch = watcher.queue;
      watcher.queue = [];
      watcher.sink.onEvents(batch);
    });
  }

  private fail(watcher: LocalWatcher, err: StorageError): void {
    if (watcher.stopped) return;
    this.remove(watcher);
    watcher.sink.onError(err);
  }

  private remove(watcher: LocalWatcher): void {
    watcher.stopped = true;
    this.live.delete(watcher);
    this.all.delete(watcher);
  }
}
