/**
 * The etcd 3 `Kv`, through the `etcd3` client: revisions are etcd's revisions, writes
 * are transactions comparing the key's create/mod revision, watches are etcd watches
 * with the previous value attached.
 *
 * etcd does not report the compacted revision in errors, so `compact` records it in the
 * key `COMPACT_REVISION_KEY` (outside any `/registry/` prefix) before compacting, as the
 * upstream apiserver does with its own key.
 */
import type { IKeyValue, IRangeRequest, ITxnResponse, IWatchResponse, Watcher } from 'etcd3';
import { Etcd3 } from 'etcd3';
import type { CompactionPolicy } from '../compactor.js';
import { startCompactor } from '../compactor.js';
import type { Kv, KvEvent, KvPage, KvRangeOptions, KvRecord, KvWatchSink, KvWriteResult } from '../kv.js';
import { prefixRangeEnd } from '../kv.js';
import { StorageError } from '../store.js';

/** Where the last compaction target is recorded. */
export const COMPACT_REVISION_KEY = '/k8ts/compact-revision';

function rangeEnd(prefix: string): Buffer {
  return prefix === '' ? Buffer.from([0]) : Buffer.from(prefixRangeEnd(prefix));
}

function toRecord(kv: IKeyValue): KvRecord {
  return {
    key: kv.key.toString(),
    value: kv.value.toString(),
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Options of the etcd backend. */
export interface EtcdKvOptions {
  /** Background compaction policy; absent or `false` = none (e.g. another server compacts). */
  compaction?: CompactionPolicy | false;
  /** Receives background compaction failures. */
  onCompactionError?: (err: unknown) => void;
}

/** The etcd backend's KV. Owns its client. */
export class EtcdKv implements Kv {
  private readonly client: Etcd3;
  /** Active watches and how to end each with an error. */
  private readonly watchers = new Map<Watcher, (err: StorageError) => void>();
  private readonly stopCompactor = new AbortController();

  /** Connects (lazily) to the given client URLs. */
  constructor(endpoints: readonly string[], options: EtcdKvOptions = {}) {
    // Lists of many objects exceed gRPC's default 4 MiB receive limit; like kube-apiserver, accept any size.
    this.client = new Etcd3({ hosts: [...endpoints], grpcOptions: { 'grpc.max_receive_message_length': -1 } });
    if (options.compaction !== undefined && options.compaction !== false) {
      startCompactor(this, options.compaction, this.stopCompactor.signal, options.onCompactionError);
    }
  }

  async get(key: string): Promise<KvRecord | undefined> {
    const res = await this.call(key, () => this.client.kv.range({ key: Buffer.from(key) }));
    const kv = res.kvs[0];
    return kv === undefined ? undefined : toRecord(kv);
  }

  create(key: string, value: string): Promise<KvWriteResult> {
    const k = Buffer.from(key);
    return this.swap(key, () =>
      this.client.kv.txn({
        compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
        success: [{ request_put: { key: k, value: Buffer.from(value) } }],
        failure: [{ request_range: { key: k } }],
      }),
    );
  }

  update(key: string, value: string, modRevision: number): Promise<KvWriteResult> {
    const k = Buffer.from(key);
    return this.swap(key, () =>
      this.client.kv.txn({
        compare: [{ key: k, target: 'Mod', result: 'Equal', mod_revision: modRevision }],
        success: [{ request_put: { key: k, value: Buffer.from(value) } }],
        failure: [{ request_range: { key: k } }],
      }),
    );
  }

  delete(key: string, modRevision: number): Promise<KvWriteResult> {
    const k = Buffer.from(key);
    return this.swap(key, () =>
      this.client.kv.txn({
        compare: [{ key: k, target: 'Mod', result: 'Equal', mod_revision: modRevision }],
        success: [{ request_delete_range: { key: k } }],
        failure: [{ request_range: { key: k } }],
      }),
    );
  }

  async range(prefix: string, options: KvRangeOptions = {}): Promise<KvPage> {
    const requested = options.revision ?? 0;
    const request: IRangeRequest = {
      key: Buffer.from(options.afterKey === undefined ? prefix : `${options.afterKey}\u0000`),
      range_end: rangeEnd(prefix),
      revision: requested,
      limit: options.limit ?? 0,
    };
    const res = await this.call(prefix, () => this.client.kv.range(request));
    const records = res.kvs.map(toRecord);
    const page: KvPage = {
      records,
      revision: requested > 0 ? requested : Number(res.header.revision),
      more: res.more,
    };
    if (options.countRemaining === true) page.remaining = Number(res.count) - records.length;
    return page;
  }

  async count(prefix: string): Promise<number> {
    const res = await this.call(prefix, () =>
      this.client.kv.range({ key: Buffer.from(prefix), range_end: rangeEnd(prefix), count_only: true }),
    );
    return Number(res.count);
  }

  async currentRevision(): Promise<number> {
    const res = await this.call('', () => this.client.kv.range({ key: Buffer.from(COMPACT_REVISION_KEY), count_only: true }));
    return Number(res.header.revision);
  }

  watch(prefix: string, afterRevision: number, sink: KvWatchSink): () => void {
    let active = true;
    let delivered = afterRevision;
    const watcher = this.client
      .watch()
      .inRange({ start: Buffer.from(prefix), end: rangeEnd(prefix) })
      .withPreviousKV()
      .startRevision(String(afterRevision + 1))
      .watcher();
    const end = (): void => {
      active = false;
      this.watchers.delete(watcher);
      watcher.cancel().catch(() => undefined);
    };
    watcher.on('data', (res: IWatchResponse) => {
      if (!active) return;
      const events: KvEvent[] = [];
      for (const e of res.events) {
        const revision = Number(e.kv.mod_revision);
        // After a reconnect etcd may resend what we already delivered.
        if (revision <= delivered) continue;
        const prev = e.prev_kv === null || e.prev_kv === undefined ? undefined : toRecord(e.prev_kv);
        const deleted = e.type === 'Delete';
        events.push({
          type: deleted ? 'delete' : 'put',
          key: e.kv.key.toString(),
          revision,
          value: deleted ? undefined : e.kv.value.toString(),
          createRevision: deleted ? (prev?.createRevision ?? 0) : Number(e.kv.create_revision),
          prev,
        });
        delivered = revision;
      }
      if (events.length > 0) sink.onEvents(events);
    });
    // The client resumes from the last response header, which can skip a backlog it has
    // not sent yet; resume from the last event we delivered instead.
    watcher.on('disconnected', () => {
      watcher.request.start_revision = delivered + 1;
    });
    watcher.on('error', (err: Error) => {
      if (!active) return;
      end();
      void this.watchFailure(prefix, delivered, err).then((failure) => sink.onError(failure));
    });
    this.watchers.set(watcher, (err) => {
      if (!active) return;
      end();
      sink.onError(err);
    });
    return end;
  }

  async compact(revision: number): Promise<void> {
    const recorded = await this.compactedRevision();
    if (recorded !== undefined && revision <= recorded) return;
    const k = Buffer.from(COMPACT_REVISION_KEY);
    await this.call(COMPACT_REVISION_KEY, () =>
      this.client.kv.txn({
        compare: [
          recorded === undefined
            ? { key: k, target: 'Create', result: 'Equal', create_revision: 0 }
            : { key: k, target: 'Value', result: 'Equal', value: Buffer.from(String(recorded)) },
        ],
        success: [{ request_put: { key: k, value: Buffer.from(String(revision)) } }],
        failure: [],
      }),
    );
    try {
      await this.call('', () => this.client.kv.compact({ revision }));
    } catch (err) {
      // Someone compacted further already: the history we wanted gone is gone.
      if (err instanceof StorageError && err.kind === 'Compacted') return;
      throw err;
    }
  }

  close(): Promise<void> {
    this.stopCompactor.abort();
    const closed = new StorageError('Unavailable', '', 'store closed');
    for (const fail of [...this.watchers.values()]) fail(closed);
    this.client.close();
    return Promise.resolve();
  }

  /** The revision recorded by the last `compact`, if any. */
  private async compactedRevision(): Promise<number | undefined> {
    const res = await this.client.kv.range({ key: Buffer.from(COMPACT_REVISION_KEY) });
    const value = res.kvs[0]?.value.toString();
    return value === undefined || value === '' ? undefined : Number(value);
  }

  private async watchFailure(prefix: string, delivered: number, err: Error): Promise<StorageError> {
    // etcd cancels a watch without a reason when its start revision was compacted.
    if (/canceled: *$/i.test(err.message) || /compacted/i.test(err.message)) {
      const compacted = await this.compactedRevision().catch(() => undefined);
      return new StorageError('Compacted', prefix, `required revision ${delivered + 1} has been compacted`, compacted);
    }
    return new StorageError('Unavailable', prefix, `etcd watch failed: ${err.message}`);
  }

  private async swap(key: string, txn: () => Promise<ITxnResponse>): Promise<KvWriteResult> {
    const res = await this.call(key, txn);
    if (res.succeeded) return { ok: true, revision: Number(res.header.revision) };
    const kv = res.responses[0]?.response_range.kvs[0];
    return { ok: false, current: kv === undefined ? undefined : toRecord(kv) };
  }

  /** Runs an etcd call, translating its failures into StorageErrors. */
  private async call<T>(key: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (err) {
      const text = errorText(err);
      if (text.includes('required revision has been compacted')) {
        const compacted = await this.compactedRevision().catch(() => undefined);
        throw new StorageError('Compacted', key, 'required revision has been compacted', compacted);
      }
      if (text.includes('required revision is a future revision')) {
        const current = await this.currentRevision().catch(() => undefined);
        throw new StorageError('FutureRevision', key, 'required revision is a future revision', current);
      }
      throw new StorageError('Unavailable', key, `etcd: ${text}`);
    }
  }
}
