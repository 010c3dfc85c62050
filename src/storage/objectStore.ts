/**
 * The one implementation of `Store` semantics over any revisioned KV (`kv.ts`): JSON
 * encoding, resourceVersion, preconditions, optimistic-concurrency retries, paging with
 * continue tokens at one revision, and watch event shaping. Backends differ only in
 * their `Kv`.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../api/object.js';
import { isPlainObject } from '../api/object.js';
import { decodeContinue, encodeContinue } from './continueToken.js';
import type { Kv, KvEvent, KvRecord } from './kv.js';
import type {
  ListOptions,
  ListResult,
  Preconditions,
  Store,
  StoreEvent,
  StoreWatch,
  WatchHandlers,
} from './store.js';
import { MAX_OBJECT_BYTES, StorageError } from './store.js';

/** Serializes an object for storage: its JSON without `metadata.resourceVersion`. */
export function encodeObject(obj: KubeObject): string {
  if (obj.metadata.resourceVersion === undefined) return JSON.stringify(obj);
  const { resourceVersion: _dropped, ...metadata } = obj.metadata;
  return JSON.stringify({ ...obj, metadata });
}

/** `encodeObject`, refusing objects over MAX_OBJECT_BYTES with a `TooLarge` error. */
function encodeForWrite(key: string, obj: KubeObject): string {
  const value = encodeObject(obj);
  if (value.length > MAX_OBJECT_BYTES / 4 && Buffer.byteLength(value) > MAX_OBJECT_BYTES) {
    throw new StorageError('TooLarge', key, `object of ${Buffer.byteLength(value)} bytes exceeds the limit of ${MAX_OBJECT_BYTES} bytes`);
  }
  return value;
}

/** Parses stored JSON and stamps `resourceVersion`; `InvalidObject` if it is not an object with metadata. */
export function decodeObject(key: string, value: string, revision: number): KubeObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  if (!isPlainObject(parsed) || !isPlainObject(parsed['metadata'])) {
    throw new StorageError('InvalidObject', key, `stored value at ${key} is not a valid object`);
  }
  const obj = parsed as KubeObject;
  // The freshly parsed object is ours, so stamping it in place is safe.
  (obj.metadata as { resourceVersion?: string }).resourceVersion = String(revision);
  return obj;
}

function decodeRecord(record: KvRecord): KubeObject {
  return decodeObject(record.key, record.value, record.modRevision);
}

/** Throws `Conflict` when `preconditions` do not hold for `current`. */
function checkPreconditions(key: string, preconditions: Preconditions | undefined, current: KubeObject): void {
  if (preconditions === undefined) return;
  const { uid, resourceVersion } = preconditions;
  if (uid !== undefined && uid !== '' && uid !== current.metadata.uid) {
    throw new StorageError(
      'Conflict',
      key,
      `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
    );
  }
  if (resourceVersion !== undefined && resourceVersion !== '' && resourceVersion !== current.metadata.resourceVersion) {
    throw new StorageError(
      'Conflict',
      key,
      `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`,
    );
  }
}

/** A `Store` over a `Kv`. Owns the KV: `close()` closes it. */
export class ObjectStore implements Store {
  constructor(private readonly kv: Kv) {}

  async create(key: string, obj: KubeObject): Promise<KubeObject> {
    const value = encodeForWrite(key, obj);
    const result = await this.kv.create(key, value);
    if (!result.ok) throw new StorageError('AlreadyExists', key);
    return decodeObject(key, value, result.revision);
  }

  async get(key: string): Promise<KubeObject> {
    const record = await this.kv.get(key);
    if (record === undefined) throw new StorageError('NotFound', key);
    return decodeRecord(record);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    let revision = options.revision;
    let afterKey: string | undefined;
    if (options.continue !== undefined && options.continue !== '') {
      const position = decodeContinue(prefix, options.continue);
      revision = position.revision;
      afterKey = prefix + position.startKey;
    }
    const limit = options.limit !== undefined && options.limit > 0 ? options.limit : 0;
    const predicate = options.predicate;
    const items: KubeObject[] = [];
    let readAt: number | undefined = revision;
    for (;;) {
      const page = await this.kv.range(prefix, {
        revision: readAt,
        afterKey,
        // Filtered lists read whole pages so a sparse match does not cost a round trip per item.
        limit: limit === 0 || predicate !== undefined ? limit : limit - items.length,
        countRemaining: predicate === undefined && limit > 0,
      });
      readAt = page.revision;
      let stoppedEarly = false;
      for (let i = 0; i < page.records.length; i++) {
        const record = page.records[i] as KvRecord;
        afterKey = record.key;
        const obj = decodeRecord(record);
        if (predicate !== undefined && !predicate(obj)) continue;
        items.push(obj);
        if (limit > 0 && items.length === limit) {
          stoppedEarly = i < page.records.length - 1;
          break;
        }
      }
      const more = stoppedEarly || page.more;
      if (!more) return { items, revision: page.revision };
      if (limit > 0 && items.length === limit) {
        const result: ListResult = {
          items,
          revision: page.revision,
          continue: encodeContinue({ revision: page.revision, startKey: (afterKey as string).slice(prefix.length) }),
        };
        if (predicate === undefined && page.remaining !== undefined) result.remainingItemCount = page.remaining;
        return result;
      }
    }
  }

  count(prefix: string): Promise<number> {
    return this.kv.count(prefix);
  }

  async guaranteedUpdate(
    key: string,
    preconditions: Preconditions | undefined,
    tryUpdate: (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>,
    options: { allowCreate?: boolean } = {},
  ): Promise<KubeObject> {
    for (;;) {
      const record = await this.kv.get(key);
      if (record === undefined) {
        if (options.allowCreate !== true) throw new StorageError('NotFound', key);
        const value = encodeForWrite(key, await tryUpdate(undefined));
        const created = await this.kv.create(key, value);
        if (created.ok) return decodeObject(key, value, created.revision);
        continue;
      }
      const current = decodeRecord(record);
      checkPreconditions(key, preconditions, current);
      const value = encodeForWrite(key, await tryUpdate(current));
      if (sameDocument(value, record.value)) return decodeRecord(record);
      const updated = await this.kv.update(key, value, record.modRevision);
      if (updated.ok) return decodeObject(key, value, updated.revision);
    }
  }

  async delete(
    key: string,
    preconditions?: Preconditions,
    validate?: (current: KubeObject) => void | Promise<void>,
  ): Promise<KubeObject> {
    for (;;) {
      const record = await this.kv.get(key);
      if (record === undefined) throw new StorageError('NotFound', key);
      const current = decodeRecord(record);
      checkPreconditions(key, preconditions, current);
      if (validate !== undefined) await validate(current);
      const deleted = await this.kv.delete(key, record.modRevision);
      if (deleted.ok) return decodeObject(key, record.value, deleted.revision);
    }
  }

  watch(prefix: string, afterRevision: number, handlers: WatchHandlers, signal?: AbortSignal): StoreWatch {
    if (signal?.aborted === true) return { stop: () => undefined };
    let stopped = false;
    // The KV calls back asynchronously, never before `stop` below is defined.
    const cancel = this.kv.watch(prefix, afterRevision, {
      onEvents: (events) => {
        if (stopped) return;
        let converted: StoreEvent[];
        try {
          converted = events.map(toStoreEvent);
        } catch (err) {
          stop();
          handlers.onError(err as StorageError);
          return;
        }
        handlers.onEvents(converted);
      },
      onError: (err) => {
        if (stopped) return;
        stop();
        handlers.onError(err);
      },
    });
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      signal?.removeEventListener('abort', stop);
      cancel();
    };
    signal?.addEventListener('abort', stop, { once: true });
    return { stop };
  }

  currentRevision(): Promise<number> {
    return this.kv.currentRevision();
  }

  compact(revision: number): Promise<void> {
    return this.kv.compact(revision);
  }

  close(): Promise<void> {
    return this.kv.close();
  }
}

/** Shapes a KV event as a Store event: ADDED / MODIFIED with prevObject / DELETED at its revision. */
function toStoreEvent(event: KvEvent): StoreEvent {
  const prevObject = event.prev === undefined ? undefined : decodeRecord(event.prev);
  if (event.type === 'delete') {
    if (event.prev === undefined) {
      throw new StorageError('InvalidObject', event.key, `delete event at ${event.revision} without the deleted object`);
    }
    const object = decodeObject(event.key, event.prev.value, event.revision);
    return { type: 'DELETED', key: event.key, object, prevObject, revision: event.revision };
  }
  const object = decodeObject(event.key, event.value ?? '', event.revision);
  if (event.createRevision === event.revision || prevObject === undefined) {
    return { type: 'ADDED', key: event.key, object, revision: event.revision };
  }
  return { type: 'MODIFIED', key: event.key, object, prevObject, revision: event.revision };
}

/** True when two encoded objects hold the same data, whatever the order of their keys: an update that changes nothing is not written. */
function sameDocument(a: string, b: string): boolean {
  return a === b || (a.length === b.length && isDeepStrictEqual(JSON.parse(a), JSON.parse(b)));
}
