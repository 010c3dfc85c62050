/**
 * The SQLite `Kv`: an append-only log (`schema.ts`) where each row is one revision.
 * The live version of a key is its newest row; a deletion is a tombstone row.
 *
 * Writes queued during one turn of the event loop commit together in one transaction
 * (one fsync for many writes), each still compare-and-swap on its own; a write is
 * acknowledged only after its transaction committed. Watchers hear of commits directly
 * (`LocalWatchHub`), replaying older history from the log.
 *
 * Compaction deletes, for revisions up to the target, every row that a later row (also
 * up to the target) supersedes, and every tombstone. It runs in small transactions so
 * it never stalls writes for long, and records its progress so a restart resumes it.
 */
import type Database from 'better-sqlite3';
import type { CompactionPolicy } from '../compactor.js';
import { defaultCompactionPolicy, startCompactor } from '../compactor.js';
import type { Kv, KvEvent, KvPage, KvRangeOptions, KvRecord, KvWatchSink, KvWriteResult } from '../kv.js';
import { prefixRangeEnd } from '../kv.js';
import { LocalWatchHub } from '../localWatchHub.js';
import { StorageError } from '../store.js';
import type { SqliteSynchronous } from './schema.js';
import { openDatabase } from './schema.js';

/** Options of the SQLite backend. */
export interface SqliteKvOptions {
  /** Commit durability; default `full` (see `schema.ts`). */
  synchronous?: SqliteSynchronous;
  /** Background compaction policy, or `false` for none. Default: `defaultCompactionPolicy`. */
  compaction?: CompactionPolicy | false;
  /** Receives background compaction failures. */
  onCompactionError?: (err: unknown) => void;
}

/** Revisions compacted per transaction. */
const COMPACT_CHUNK = 2000;

interface LatestRow {
  id: number;
  create_revision: number;
  deleted: number;
  value: string | null;
}

interface RangeRow {
  id: number;
  name: string;
  create_revision: number;
  value: string;
}

interface LogRow {
  id: number;
  name: string;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string | null;
  prev_value: string | null;
  prev_deleted: number | null;
}

interface PendingWrite {
  op: 'create' | 'update' | 'delete';
  key: string;
  value: string | null;
  expected: number;
  resolve(result: KvWriteResult): void;
  reject(err: unknown): void;
}

function liveRecord(key: string, row: LatestRow): KvRecord {
  return { key, value: row.value as string, createRevision: row.create_revision, modRevision: row.id };
}

const LIVE_AT = `k.id <= @rev AND k.deleted = 0
  AND NOT EXISTS (SELECT 1 FROM kine n WHERE n.name = k.name AND n.id > k.id AND n.id <= @rev)`;

function prepareStatements(db: Database.Database) {
  return {
    latest: db.prepare<[string], LatestRow>(
      'SELECT id, create_revision, deleted, value FROM kine WHERE name = ? ORDER BY id DESC LIMIT 1',
    ),
    insert: db.prepare<[number, string, number, number, number, number, string | null]>(
      'INSERT INTO kine (id, name, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    firstPage: db.prepare<{ from: string; end: string; rev: number; limit: number }, RangeRow>(
      `SELECT k.id, k.name, k.create_revision, k.value FROM kine k
       WHERE k.name >= @from AND k.name < @end AND ${LIVE_AT} ORDER BY k.name LIMIT @limit`,
    ),
    nextPage: db.prepare<{ from: string; end: string; rev: number; limit: number }, RangeRow>(
      `SELECT k.id, k.name, k.create_revision, k.value FROM kine k
       WHERE k.name > @from AND k.name < @end AND ${LIVE_AT} ORDER BY k.name LIMIT @limit`,
    ),
    countFrom: db.prepare<{ from: string; end: string; rev: number }, { n: number }>(
      `SELECT COUNT(*) AS n FROM kine k WHERE k.name >= @from AND k.name < @end AND ${LIVE_AT}`,
    ),
    countAfter: db.prepare<{ from: string; end: string; rev: number }, { n: number }>(
      `SELECT COUNT(*) AS n FROM kine k WHERE k.name > @from AND k.name < @end AND ${LIVE_AT}`,
    ),
    events: db.prepare<{ after: number; from: string; end: string; limit: number }, LogRow>(
      `SELECT k.id, k.name, k.deleted, k.create_revision, k.prev_revision, k.value,
              p.value AS prev_value, p.deleted AS prev_deleted
       FROM kine k LEFT JOIN kine p ON p.id = k.prev_revision
       WHERE k.id > @after AND k.name >= @from AND k.name < @end ORDER BY k.id LIMIT @limit`,
    ),
    sequence: db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'kine'"),
    getMeta: db.prepare<[string], { value: number }>('SELECT value FROM kine_meta WHERE name = ?'),
    setMeta: db.prepare<[string, number]>(
      'INSERT INTO kine_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    ),
    deleteSuperseded: db.prepare<{ from: number; to: number }>(
      'DELETE FROM kine WHERE id IN (SELECT prev_revision FROM kine WHERE id > @from AND id <= @to AND prev_revision != 0)',
    ),
    deleteTombstones: db.prepare<{ from: number; to: number }>(
      'DELETE FROM kine WHERE id > @from AND id <= @to AND deleted = 1',
    ),
  };
}

/** The SQLite backend's KV. Open with `SqliteKv.open`. */
export class SqliteKv implements Kv {
  private readonly db: Database.Database;
  private readonly stmts: ReturnType<typeof prepareStatements>;
  private readonly hub: LocalWatchHub;
  private readonly stopCompactor = new AbortController();
  private revision: number;
  /** Reads and watches before this revision are refused. */
  private compacted: number;
  /** History up to here has actually been deleted. */
  private compactedThrough: number;
  private compaction: Promise<void> = Promise.resolve();
  private pending: PendingWrite[] = [];
  private flushTimer: NodeJS.Immediate | undefined;
  private closed = false;
  private readonly commitBatch: (writes: PendingWrite[], events: KvEvent[]) => KvWriteResult[];

  private constructor(path: string, options: SqliteKvOptions) {
    this.db = openDatabase(path, options.synchronous ?? 'full');
    this.stmts = prepareStatements(this.db);
    this.revision = this.stmts.sequence.get()?.seq ?? 0;
    this.compacted = this.stmts.getMeta.get('compact_revision')?.value ?? 0;
    this.compactedThrough = this.stmts.getMeta.get('compacted_through')?.value ?? 0;
    this.hub = new LocalWatchHub({
      readEvents: (prefix, after, limit) => this.readEvents(prefix, after, limit),
      compactedRevision: () => this.compacted,
    });
    this.commitBatch = this.db.transaction((writes: PendingWrite[], events: KvEvent[]) =>
      writes.map((w) => this.apply(w, events)),
    );
  }

  /** Opens the database at `path` (created if missing) and resumes any unfinished compaction. */
  static open(path: string, options: SqliteKvOptions = {}): SqliteKv {
    const kv = new SqliteKv(path, options);
    if (kv.compactedThrough < kv.compacted) kv.compaction = kv.deleteHistory();
    const policy = options.compaction ?? defaultCompactionPolicy;
    if (policy !== false) startCompactor(kv, policy, kv.stopCompactor.signal, options.onCompactionError);
    return kv;
  }

  get(key: string): Promise<KvRecord | undefined> {
    return this.read(() => this.live(key));
  }

  create(key: string, value: string): Promise<KvWriteResult> {
    return this.enqueue('create', key, value, 0);
  }

  update(key: string, value: string, modRevision: number): Promise<KvWriteResult> {
    return this.enqueue('update', key, value, modRevision);
  }

  delete(key: string, modRevision: number): Promise<KvWriteResult> {
    return this.enqueue('delete', key, null, modRevision);
  }

  range(prefix: string, options: KvRangeOptions = {}): Promise<KvPage> {
    return this.read(() => {
      const revision = this.readRevision(prefix, options.revision);
      const end = prefixRangeEnd(prefix);
      const limit = options.limit !== undefined && options.limit > 0 ? options.limit : -1;
      const first = options.afterKey === undefined;
      const from = options.afterKey ?? prefix;
      const statement = first ? this.stmts.firstPage : this.stmts.nextPage;
      const rows = statement.all({ from, end, rev: revision, limit: limit === -1 ? -1 : limit + 1 });
      const more = limit !== -1 && rows.length > limit;
      if (more) rows.pop();
      const records = rows.map((r) => ({ key: r.name, value: r.value, createRevision: r.create_revision, modRevision: r.id }));
      const page: KvPage = { records, revision, more };
      if (options.countRemaining === true) {
        const last = records[records.length - 1];
        page.remaining = !more
          ? 0
          : (this.stmts.countAfter.get({ from: (last as KvRecord).key, end, rev: revision })?.n ?? 0);
      }
      return page;
    });
  }

  count(prefix: string): Promise<number> {
    return this.read(() => this.stmts.countFrom.get({ from: prefix, end: prefixRangeEnd(prefix), rev: this.revision })?.n ?? 0);
  }

  currentRevision(): Promise<number> {
    return Promise.resolve(this.revision);
  }

  watch(prefix: string, afterRevision: number, sink: KvWatchSink): () => void {
    return this.hub.watch(prefix, afterRevision, sink);
  }

  compact(revision: number): Promise<void> {
    if (this.closed) return Promise.reject(new StorageError('Unavailable', '', 'store closed'));
    if (revision > this.revision) {
      return Promise.reject(new StorageError('FutureRevision', '', `required revision ${revision} is a future revision`, this.revision));
    }
    if (revision <= this.compacted) return this.compaction;
    this.compacted = revision;
    this.stmts.setMeta.run('compact_revision', revision);
    this.compaction = this.compaction.then(() => this.deleteHistory());
    return this.compaction;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopCompactor.abort();
    this.flush();
    await this.compaction.catch(() => undefined);
    this.hub.failAll(new StorageError('Unavailable', '', 'store closed'));
    this.db.close();
  }

  private read<T>(body: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StorageError('Unavailable', '', 'store closed'));
    try {
      return Promise.resolve(body());
    } catch (err) {
      return Promise.reject(err instanceof StorageError ? err : new StorageError('Unavailable', '', String(err)));
    }
  }

  private live(key: string): KvRecord | undefined {
    const row = this.stmts.latest.get(key);
    return row === undefined || row.deleted !== 0 ? undefined : liveRecord(key, row);
  }

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

  private enqueue(op: PendingWrite['op'], key: string, value: string | null, expected: number): Promise<KvWriteResult> {
    if (this.closed) return Promise.reject(new StorageError('Unavailable', key, 'store closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ op, key, value, expected, resolve, reject });
      this.flushTimer ??= setImmediate(() => this.flush());
    });
  }

  /** Commits every queued write in one transaction, then acknowledges them and tells watchers. */
  private flush(): void {
    if (this.flushTimer !== undefined) clearImmediate(this.flushTimer);
    this.flushTimer = undefined;
    const writes = this.pending;
    if (writes.length === 0) return;
    this.pending = [];
    const before = this.revision;
    const events: KvEvent[] = [];
    let results: KvWriteResult[];
    try {
      results = this.commitBatch(writes, events);
    } catch (err) {
      this.revision = before;
      const failure = new StorageError('Unavailable', '', `sqlite write failed: ${String(err)}`);
      for (const w of writes) w.reject(failure);
      return;
    }
    writes.forEach((w, i) => w.resolve(results[i] as KvWriteResult));
    this.hub.publish(events);
  }

  /** Applies one compare-and-swap write inside the batch transaction. */
  private apply(write: PendingWrite, events: KvEvent[]): KvWriteResult {
    const { key } = write;
    const latest = this.stmts.latest.get(key);
    const current = latest === undefined || latest.deleted !== 0 ? undefined : liveRecord(key, latest);
    if (write.op === 'create' ? current !== undefined : current?.modRevision !== write.expected) {
      return { ok: false, current };
    }
    const revision = this.revision + 1;
    if (write.op === 'create') {
      this.stmts.insert.run(revision, key, 1, 0, revision, latest?.id ?? 0, write.value);
      events.push({ type: 'put', key, revision, value: write.value as string, createRevision: revision, prev: undefined });
    } else {
      const prev = current as KvRecord;
      const deleted = write.op === 'delete';
      this.stmts.insert.run(revision, key, 0, deleted ? 1 : 0, prev.createRevision, prev.modRevision, write.value);
      events.push({
        type: deleted ? 'delete' : 'put',
        key,
        revision,
        value: deleted ? undefined : (write.value as string),
        createRevision: prev.createRevision,
        prev,
      });
    }
    this.revision = revision;
    return { ok: true, revision };
  }

  private readEvents(prefix: string, afterRevision: number, limit: number): KvEvent[] {
    const rows = this.stmts.events.all({ after: afterRevision, from: prefix, end: prefixRangeEnd(prefix), limit });
    return rows.map((r) => {
      const prev: KvRecord | undefined =
        r.prev_value === null || r.prev_deleted !== 0
          ? undefined
          : { key: r.name, value: r.prev_value, createRevision: r.create_revision, modRevision: r.prev_revision };
      const deleted = r.deleted !== 0;
      return {
        type: deleted ? 'delete' : 'put',
        key: r.name,
        revision: r.id,
        value: deleted ? undefined : (r.value as string),
        createRevision: r.create_revision,
        prev,
      };
    });
  }

  /** Deletes compacted history in small transactions, yielding to other work between them. */
  private async deleteHistory(): Promise<void> {
    const chunk = this.db.transaction((from: number, to: number) => {
      this.stmts.deleteSuperseded.run({ from, to });
      this.stmts.deleteTombstones.run({ from, to });
      this.stmts.setMeta.run('compacted_through', to);
    });
    // Closing interrupts between chunks; the recorded progress lets the next open resume.
    while (this.compactedThrough < this.compacted && !this.closed) {
      const from = this.compactedThrough;
      const to = Math.min(this.compacted, from + COMPACT_CHUNK);
      chunk(from, to);
      this.compactedThrough = to;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
