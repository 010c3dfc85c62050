/**
 * The SQLite layout, kine-style: one append-only log table whose row id is the
 * revision, plus a small table of bookkeeping values (the compacted revision).
 *
 * Durability: WAL with `synchronous=FULL` by default, so an acknowledged write has been
 * fsynced and survives power loss like an etcd write. `synchronous=NORMAL` skips the
 * per-commit fsync; a commit is still handed to the OS before it is acknowledged, so it
 * survives the process being killed (kill -9) but not the machine losing power.
 *
 * The database is opened in exclusive locking mode: this process is the only writer,
 * which is what lets the backend notify watchers right after its own commits.
 */
import Database from 'better-sqlite3';

/** How hard commits are pushed to disk; see the module comment. */
export type SqliteSynchronous = 'full' | 'normal';

const DDL = `
CREATE TABLE IF NOT EXISTS kine (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value TEXT
);
CREATE INDEX IF NOT EXISTS kine_name_id ON kine (name, id);
CREATE TABLE IF NOT EXISTS kine_meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** Opens (creating if needed) the database at `path` with the k8ts schema and pragmas. */
export function openDatabase(path: string, synchronous: SqliteSynchronous): Database.Database {
  const db = new Database(path);
  try {
    // Exclusive mode must precede WAL so no shared-memory index is used.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    // Fewer, larger checkpoints: checkpoint stalls, not inserts, bound write throughput.
    db.pragma('wal_autocheckpoint = 4000');
    db.exec(DDL);
    // Take the write lock now, so a second process fails at open rather than later.
    db.exec('BEGIN EXCLUSIVE; COMMIT;');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
