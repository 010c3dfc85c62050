/**
 * Chooses and opens a storage backend from a datastore endpoint, as `k8ts server
 * --datastore-endpoint` takes it:
 * - `sqlite://PATH` or a bare path → SQLite (parent directories are created);
 * - `http://host:port[,http://host:port…]` → etcd 3 (plain HTTP; TLS is not supported yet);
 * - `memory://` → memory (nothing persists).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CompactionPolicy } from './compactor.js';
import { defaultCompactionPolicy } from './compactor.js';
import { openEtcdStore } from './etcd/etcdStore.js';
import { openMemoryStore } from './memory/memoryStore.js';
import type { SqliteSynchronous } from './sqlite/schema.js';
import { openSqliteStore } from './sqlite/sqliteStore.js';
import type { Store } from './store.js';

/** Options of `openStore`. */
export interface OpenStoreOptions {
  /** Background compaction (SQLite and etcd); default `defaultCompactionPolicy`; `false` = none. */
  compaction?: CompactionPolicy | false;
  /** Receives background compaction failures. */
  onCompactionError?: (err: unknown) => void;
  /** SQLite commit durability; default `full`. */
  synchronous?: SqliteSynchronous;
}

/** Opens the Store named by `endpoint`; throws an Error naming the problem for unsupported ones. */
export async function openStore(endpoint: string, options: OpenStoreOptions = {}): Promise<Store> {
  const compaction = options.compaction ?? defaultCompactionPolicy;
  const onCompactionError = options.onCompactionError;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(endpoint)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === 'sqlite') {
    const path = scheme === undefined ? endpoint : endpoint.slice('sqlite://'.length);
    if (path === '') throw new Error(`datastore endpoint ${endpoint} names no database file`);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    return openSqliteStore(path, { compaction, onCompactionError, synchronous: options.synchronous });
  }
  if (scheme === 'memory') return openMemoryStore();
  if (scheme === 'http') {
    const endpoints = endpoint.split(',').map((e) => e.trim()).filter((e) => e !== '');
    const bad = endpoints.find((e) => !/^http:\/\/[^/,]+\/?$/.test(e));
    if (bad !== undefined) throw new Error(`datastore endpoint ${bad} is not an etcd client URL (http://host:port)`);
    const store = openEtcdStore(endpoints, { compaction, onCompactionError });
    try {
      await store.currentRevision();
    } catch (err) {
      await store.close();
      throw new Error(`cannot reach etcd at ${endpoint}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return store;
  }
  throw new Error(
    `unsupported datastore endpoint ${endpoint}: use sqlite://PATH, a file path, http://HOST:PORT[,…] (etcd 3) or memory://`,
  );
}
