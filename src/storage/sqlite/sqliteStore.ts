/** The SQLite-backed Store: the default storage of `k8ts server`. */
import { ObjectStore } from '../objectStore.js';
import type { Store } from '../store.js';
import type { SqliteKvOptions } from './sqliteKv.js';
import { SqliteKv } from './sqliteKv.js';

/** Opens (creating if needed) a Store in the SQLite database file at `path`. */
export function openSqliteStore(path: string, options: SqliteKvOptions = {}): Store {
  return new ObjectStore(SqliteKv.open(path, options));
}
