/**
 * The storage contract every backend (SQLite, etcd 3, memory) fulfils, with etcd's
 * semantics: one global monotonic revision, optimistic concurrency on a key's
 * modification revision, ordered watches from any retained revision, compaction.
 *
 * Objects are stored as JSON. The store owns `metadata.resourceVersion`: it is the
 * decimal revision at which the object was last written, set on every object the
 * store returns and never persisted.
 *
 * The contract is defined by its conformance suite (`conformance.ts`), which every
 * backend runs.
 */
import type { KubeObject } from '../api/object.js';

/** What kind of storage failure occurred; the apiserver maps each to a Status. */
export type StorageErrorKind =
  | 'NotFound'
  | 'AlreadyExists'
  /** A precondition (uid or resourceVersion) did not hold. */
  | 'Conflict'
  /** The requested revision is older than the compacted history. */
  | 'Compacted'
  /** The requested revision is newer than the store's current revision. */
  | 'FutureRevision'
  /** The stored bytes are not a valid object. */
  | 'InvalidObject'
  /** The encoded object is larger than MAX_OBJECT_BYTES. */
  | 'TooLarge'
  /** The backend is unreachable or failed. */
  | 'Unavailable';

/** The largest encoded object any backend stores: etcd's default request limit, 1.5 MiB. */
export const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;

/** A typed storage error; branch on `kind`. */
export class StorageError extends Error {
  readonly kind: StorageErrorKind;
  readonly key: string;
  /** For `Compacted`: the oldest revision still available. For `FutureRevision`: the current one. */
  readonly revision: number | undefined;

  constructor(kind: StorageErrorKind, key: string, message?: string, revision?: number) {
    super(message ?? `${kind}: ${key}`);
    this.name = 'StorageError';
    this.kind = kind;
    this.key = key;
    this.revision = revision;
  }
}

/** True when `err` is a StorageError of the given kind. */
export function isStorageError(err: unknown, kind: StorageErrorKind): err is StorageError {
  return err instanceof StorageError && err.kind === kind;
}

/** Conditions a write or delete must meet against the current object. */
export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

/** Options for `list`. */
export interface ListOptions {
  /** Return at most this many objects (0 or absent = all). */
  limit?: number;
  /** Opaque token from a previous page; the page continues at the same revision. */
  continue?: string;
  /**
   * Read at exactly this revision (for consistent pagination and `resourceVersionMatch=Exact`).
   * Absent = the current revision. Older than compaction → `Compacted`.
   */
  revision?: number;
  /** Optional filter applied before `limit` counts, so pages stay full. */
  predicate?: (obj: KubeObject) => boolean;
}

/** One page of a list. */
export interface ListResult {
  items: KubeObject[];
  /** The revision the page was read at. */
  revision: number;
  /** Set when more items remain; pass it back as `ListOptions.continue`. */
  continue?: string;
  /** How many items remain after this page, when known (unfiltered lists only). */
  remainingItemCount?: number;
}

/** A change to one key, in revision order. */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  key: string;
  /** The object after the change; for DELETED, the object as last stored. */
  object: KubeObject;
  /** For MODIFIED and DELETED: the object before the change. */
  prevObject?: KubeObject;
  /** The revision of this change (for DELETED, the deletion's revision). */
  revision: number;
}

/** A live watch: events arrive through the callback until `stop()` or the signal aborts. */
export interface StoreWatch {
  stop(): void;
}

/** Callbacks of a watch. `onError` ends the watch (e.g. `Compacted`). */
export interface WatchHandlers {
  onEvents(events: StoreEvent[]): void;
  onError(err: StorageError): void;
}

/**
 * The storage contract. Keys are strings such as `/registry/pods/default/web-0`;
 * prefixes end with `/`.
 */
export interface Store {
  /** Stores a new object at `key`; `AlreadyExists` if the key is live. Returns it with its resourceVersion. */
  create(key: string, obj: KubeObject): Promise<KubeObject>;

  /** The current object at `key`; `NotFound` if absent. */
  get(key: string): Promise<KubeObject>;

  /** Objects under `prefix`, ordered by key, paged by `limit`/`continue`, at one revision. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;

  /** How many live objects are under `prefix`. */
  count(prefix: string): Promise<number>;

  /**
   * Reads the object at `key`, checks `preconditions`, applies `tryUpdate` and writes the
   * result if the object did not change meanwhile; otherwise re-reads and retries.
   * `tryUpdate` may throw to abort (the error propagates unchanged). If it returns the
   * same JSON as the current object, nothing is written and the current object returns.
   * `NotFound` when the key is absent (unless `allowCreate`, then `tryUpdate` gets undefined).
   * A resourceVersion precondition that does not match fails with `Conflict` without retry.
   */
  guaranteedUpdate(
    key: string,
    preconditions: Preconditions | undefined,
    tryUpdate: (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>,
    options?: { allowCreate?: boolean },
  ): Promise<KubeObject>;

  /**
   * Deletes `key` if `preconditions` hold; `validate` may inspect the current object and
   * throw to refuse. Returns the deleted object (resourceVersion = the deletion revision).
   */
  delete(
    key: string,
    preconditions?: Preconditions,
    validate?: (current: KubeObject) => void | Promise<void>,
  ): Promise<KubeObject>;

  /**
   * Streams every change under `prefix` with revision > `afterRevision`, in order, each
   * exactly once. `Compacted` (via onError) if that history is gone.
   */
  watch(prefix: string, afterRevision: number, handlers: WatchHandlers, signal?: AbortSignal): StoreWatch;

  /** The latest revision of the whole store. */
  currentRevision(): Promise<number>;

  /** Discards history before `revision`; watches and exact reads older than it fail `Compacted`. */
  compact(revision: number): Promise<void>;

  /** Releases connections, pollers and files. */
  close(): Promise<void>;
}
