import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { KvEvent } from '../kv.js';
import { isStorageError } from '../store.js';
import { SqliteKv } from './sqliteKv.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlitekv-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = (): string => join(dir, `kv-${++n}.db`);

function rowCount(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM kine').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function collect(kv: SqliteKv, prefix: string, after: number, count: number): Promise<KvEvent[]> {
  return new Promise((resolve, reject) => {
    const events: KvEvent[] = [];
    const cancel = kv.watch(prefix, after, {
      onEvents(batch) {
        events.push(...batch);
        if (events.length >= count) {
          cancel();
          resolve(events);
        }
      },
      onError: reject,
    });
  });
}

describe('SqliteKv', () => {
  test('data, revision and compacted revision survive reopening; the log replays into a new watch', async () => {
    const path = freshPath();
    const kv = SqliteKv.open(path, { compaction: false });
    const a = await kv.create('/r/a', '{"v":1}');
    assert.ok(a.ok);
    const b = await kv.create('/r/b', '{"v":1}');
    assert.ok(b.ok);
    await kv.update('/r/a', '{"v":2}', a.revision);
    await kv.delete('/r/b', b.revision);
    await kv.compact(b.revision);
    const revision = await kv.currentRevision();
    await kv.close();

    const reopened = SqliteKv.open(path, { compaction: false });
    try {
      assert.equal(await reopened.currentRevision(), revision);
      assert.deepEqual((await reopened.get('/r/a'))?.value, '{"v":2}');
      assert.equal(await reopened.get('/r/b'), undefined);
      await assert.rejects(reopened.range('/r/', { revision: a.revision }), (err) => isStorageError(err, 'Compacted') && err.revision === b.revision);
      const events = await collect(reopened, '/r/', b.revision, 2);
      assert.deepEqual(events.map((e) => [e.type, e.key, e.prev?.value]), [
        ['put', '/r/a', '{"v":1}'],
        ['delete', '/r/b', '{"v":1}'],
      ]);
      const next = await reopened.create('/r/c', '{}');
      assert.ok(next.ok && next.revision === revision + 1);
    } finally {
      await reopened.close();
    }
  });

  test('compaction removes superseded versions and tombstones but keeps every live key', async () => {
    const path = freshPath();
    const kv = SqliteKv.open(path, { compaction: false });
    let mod = 0;
    const created = await kv.create('/r/kept', '0');
    assert.ok(created.ok);
    mod = created.revision;
    for (let i = 1; i <= 50; i++) {
      const r = await kv.update('/r/kept', String(i), mod);
      assert.ok(r.ok);
      mod = r.revision;
    }
    for (let i = 0; i < 20; i++) {
      const r = await kv.create(`/r/gone-${i}`, 'x');
      assert.ok(r.ok);
      await kv.delete(`/r/gone-${i}`, r.revision);
    }
    const through = await kv.currentRevision();
    const tail = await kv.create('/r/after', 'y');
    assert.ok(tail.ok);
    await kv.compact(through);
    await kv.close();
    // What remains: the live version of /r/kept and the later /r/after.
    assert.equal(rowCount(path), 2);
    const reopened = SqliteKv.open(path, { compaction: false });
    try {
      const page = await reopened.range('/r/', { revision: through });
      assert.deepEqual(page.records.map((r) => [r.key, r.value]), [['/r/kept', '50']]);
      assert.equal(await reopened.count('/r/'), 2);
    } finally {
      await reopened.close();
    }
  });

  test('concurrent writes commit together with distinct consecutive revisions', async () => {
    const kv = SqliteKv.open(freshPath(), { compaction: false });
    try {
      const start = await kv.currentRevision();
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => kv.create(`/r/${i}`, String(i))));
      const revisions = results.map((r) => (r.ok ? r.revision : -1)).sort((x, y) => x - y);
      assert.deepEqual(revisions, Array.from({ length: 100 }, (_, i) => start + 1 + i));
      const clash = await Promise.all([kv.create('/r/same', '1'), kv.create('/r/same', '2')]);
      assert.deepEqual(clash.map((r) => r.ok), [true, false]);
    } finally {
      await kv.close();
    }
  });

  test('a second open of a database in use fails instead of sharing it', async () => {
    const path = freshPath();
    const kv = SqliteKv.open(path, { compaction: false });
    try {
      assert.throws(() => SqliteKv.open(path, { compaction: false }), /locked/);
    } finally {
      await kv.close();
    }
  });
});
