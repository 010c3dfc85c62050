/**
 * An in-memory `Kv` keeping every version of every key until compaction, for unit
 * tests and throwaway servers. Linear scans: not for large data sets.
 */
import type { Kv, KvEvent, KvPage, KvRangeOptions, KvRecord, KvWatchSink, KvWriteResult } from '../kv.js';
import { LocalWatchHub } from '../localWatchHub.js';
import { StorageError } from '../store.js';

/** One version of a key; `value` undefined marks a deletion. */
interface Version {
  revision: number;
  createRevision: number;
  value: string | undefined;
}

/** The memory backend's KV. */
export class MemoryKv implements Kv {
  private revision = 0;
  private compacted = 0;
  private readonly versions = new Map<string, Version[]>();
  /** Every retained change, ascending; entries at or below `compacted` are dropped. */
  private log: KvEvent[] = [];
  private readonly hub = new LocalWatchHub({
    readEvents: (prefix, after, limit) => this.readEvents(prefix, after, limit),
    compactedRevision: () => this.compacted,
  });

  get(key: string): Promise<KvRecord | undefined> {
    return Promise.resolve(this.liveAt(key, this.revision));
  }

  create(key: string, value: string): Promise<KvWriteResult> {
    const current = this.liveAt(key, this.revision);
    if (current !== undefined) return Promise.resolve({ ok: false, current });
    const revision = ++this.revision;
    this.append(key, { revision, createRevision: revision, value }, { type: 'put', key, revision, value, createRevision: revision, prev: undefined });
    return Promise.resolve({ ok: true, revision });
  }

  update(key: string, value: string, modRevision: number): Promise<KvWriteResult> {
    const current = this.liveAt(key, this.revision);
    if (current === undefined || current.modRevision !== modRevision) return Promise.resolve({ ok: false, current });
    const revision = ++this.revision;
    const createRevision = current.createRevision;
    this.append(key, { revision, createRevision, value }, { type: 'put', key, revision, value, createRevision, prev: current });
    return Promise.resolve({ ok: true, revision });
  }

  delete(key: string, modRevision: number): Promise<KvWriteResult> {
    const current = this.liveAt(key, this.revision);
    if (current === undefined || current.modRevision !== modRevision) return Promise.resolve({ ok: false, current });
    const revision = ++this.revision;
    const createRevision = current.createRevision;
    this.append(key, { revision, createRevision, value: undefined }, { type: 'delete', key, revision, value: undefined, createRevision, prev: current });
    return Promise.resolve({ ok: true, revision });
  }

  range(prefix: string, options: KvRangeOptions = {}): Promise<KvPage> {
    try {
      const revision = this.readRevision(prefix, options.revision);
      const after = options.afterKey;
      const keys = [...this.versions.keys()]
        .filter((k) => k.startsWith(prefix) && (after === undefined || k > after))
        .sort();
      const live: KvRecord[] = [];
      for (const key of keys) {
        const record = this.liveAt(key, revision);
        if (record !== undefined) live.push(record);
      }
      const limit = options.limit ?? 0;
      const records = limit > 0 ? live.slice(0, limit) : live;
      const remaining = live.length - records.length;
      const page: KvPage = { records, revision, more: remaining > 0 };
      if (options.countRemaining === true) page.remaining = remaining;
      return Promise.resolve(page);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  count(prefix: string): Promise<number> {
    let n = 0;
    for (const key of this.versions.keys()) {
      if (key.startsWith(prefix) && this.liveAt(key, this.revision) !== undefined) n++;
    }
    return Promise.resolve(n);
  }

  currentRevision(): Promise<number> {
    return Promise.resolve(this.revision);
  }

  watch(prefix: string, afterRevision: number, sink: KvWatchSink): () => void {
    return this.hub.watch(prefix, afterRevision, sink);
  }

  compact(revision: number): Promise<void> {
    if (revision > this.revision) {
      return Promise.reject(new StorageError('FutureRevision', '', `required revision ${revision} is a future revision`, this.revision));
    }
    if (revision <= this.compacted) return Promise.resolve();
    this.compacted = revision;
    for (const [key, versions] of this.versions) {
      let newestOld = -1;
      for (let i = 0; i < versions.length && (versions[i] as Version).revision <= revision; i++) newestOld = i;
      const keepFrom = newestOld >= 0 && (versions[newestOld] as Version).value !== undefined ? newestOld : newestOld + 1;
      const kept = versions.slice(keepFrom);
      if (kept.length === 0) this.versions.delete(key);
      else this.versions.set(key, kept);
    }
    this.log = this.log.filter((e) => e.revision > revision);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.hub.failAll(new StorageError('Unavailable', '', 'store closed'));
    return Promise.resolve();
  }

  private append(key: string, version: Version, event: KvEvent): void {
    const versions = this.versions.get(key);
    if (versions === undefined) this.versions.set(key, [version]);
    else versions.push(version);
    this.log.push(event);
    this.hub.publish([event]);
  }

  /** Validates a read revision: 0/absent = current; `Compacted` / `FutureRevision` otherwise. */
  private readRevision(key: string, requested: number | undefined): number {
    if (requested === undefined || requested === 0) return this.revision;
    if (requested > this.revision) {
      throw new StorageError('FutureRevision', key, `required revision ${requested} is a future revision`, this.revision);
    }
    if (requested < this.compacted) {
      throw new StorageError('Compacted', key, `required revision ${requested} has been compacted`, this.compacted);
    }
    return requested;
  }

  private liveAt(key: string, revision: number): KvRecord | undefined {
    const versions = this.versions.get(key);
    if (versions === undefined) return undefined;
    for (let i = versions.length - 1; i >= 0; i--) {
      const v = versions[i] as Version;
      if (v.revision > revision) continue;
      if (v.value === undefined) return undefined;
      return { key, value: v.value, createRevision: v.createRevision, modRevision: v.revision };
    }
    return undefined;
  }

  private readEvents(prefix: string, afterRevision: number, limit: number): KvEvent[] {
    const out: KvEvent[] = [];
    for (const event of this.log) {
      if (event.revision <= afterRevision || !event.key.startsWith(prefix)) continue;
      out.push(event);
      if (out.length === limit) break;
    }
    return out;
  }
}
