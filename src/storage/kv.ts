/**
 * The small revisioned key-value contract under every Store backend, kine-style: the
 * object semantics (JSON, resourceVersion, preconditions, retries, continue tokens)
 * live once in `objectStore.ts`, and a backend only has to keep an ordered log of
 * byte-string writes with one global revision counter.
 *
 * Values are opaque strings here. Revisions start above 0; revision 0 never names data.
 */
import type { StorageError } from './store.js';

/** One live version of a key. */
export interface KvRecord {
  key: string;
  value: string;
  /** The revision at which this key was (last) created. */
  createRevision: number;
  /** The revision at which this version was written. */
  modRevision: number;
}

/** One change to a key, as a watch reports it. */
export interface KvEvent {
  type: 'put' | 'delete';
  key: string;
  /** The revision of this change. */
  revision: number;
  /** For `put`: the new value. */
  value: string | undefined;
  /** For `put`: the key's creation revision (equal to `revision` for a creation). */
  createRevision: number;
  /** The version this change replaced: absent for a creation, the deleted version for `delete`. */
  prev: KvRecord | undefined;
}

/** Outcome of a compare-and-swap write. On failure, `current` is the live version (if any). */
export type KvWriteResult = { ok: true; revision: number } | { ok: false; current: KvRecord | undefined };

/** Options of `Kv.range`. */
export interface KvRangeOptions {
  /** Read at this revision; absent or 0 = the current one. Older than compaction → `Compacted`. */
  revision?: number;
  /** Only keys strictly greater than this one (the last key of the previous page). */
  afterKey?: string;
  /** At most this many records; absent or 0 = all. */
  limit?: number;
  /** Also report how many live keys follow this page (may cost a second scan). */
  countRemaining?: boolean;
}

/** One page of a range read. */
export interface KvPage {
  records: KvRecord[];
  /** The revision the page was read at. */
  revision: number;
  /** True when keys remain after the last record. */
  more: boolean;
  /** How many live keys remain after this page (when asked for). */
  remaining?: number;
}

/** Receives watch events in revision order; `onError` ends the watch. */
export interface KvWatchSink {
  onEvents(events: KvEvent[]): void;
  onError(err: StorageError): void;
}

/**
 * A revisioned key-value store. Every write gets the next global revision. Writes are
 * compare-and-swap on the key's mod revision, so the object layer can implement
 * optimistic concurrency without locks. Errors are `StorageError`s.
 */
export interface Kv {
  /** The live version of `key`, or undefined. */
  get(key: string): Promise<KvRecord | undefined>;
  /** Writes `key` only if it is absent (or deleted). */
  create(key: string, value: string): Promise<KvWriteResult>;
  /** Writes `key` only if its live version has mod revision `modRevision`. */
  update(key: string, value: string, modRevision: number): Promise<KvWriteResult>;
  /** Deletes `key` only if its live version has mod revision `modRevision`. */
  delete(key: string, modRevision: number): Promise<KvWriteResult>;
  /** Live keys under `prefix`, ascending, at one revision. `FutureRevision`/`Compacted` as the Store. */
  range(prefix: string, options?: KvRangeOptions): Promise<KvPage>;
  /** How many live keys are under `prefix` now. */
  count(prefix: string): Promise<number>;
  /** The latest revision. */
  currentRevision(): Promise<number>;
  /**
   * Streams every change under `prefix` with revision > `afterRevision`, each exactly once,
   * in order, until the returned cancel function is called or `onError` fired. History at
   * or before the compacted revision is gone: `afterRevision` below it → `Compacted`.
   * The sink is never called before `watch` returns.
   */
  watch(prefix: string, afterRevision: number, sink: KvWatchSink): () => void;
  /** Discards history before `revision`; compacting an already compacted revision is a no-op. */
  compact(revision: number): Promise<void>;
  /** Releases resources: pending writes are committed first, active watches end with `Unavailable`. */
  close(): Promise<void>;
}

/** The exclusive end of the key range of `prefix`: `prefix` with its last character incremented. */
export function prefixRangeEnd(prefix: string): string {
  if (prefix === '') return '\u{10FFFF}';
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}
