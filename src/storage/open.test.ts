import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openStore } from './open.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-open-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };

test('sqlite:// opens SQLite, creating parent directories, and persists', async () => {
  const path = join(dir, 'nested', 'db', 'state.db');
  const store = await openStore(`sqlite://${path}`, { compaction: false });
  await store.create('/registry/x', configMap);
  await store.close();
  assert.ok(existsSync(path));
  const bare = await openStore(path, { compaction: false });
  try {
    assert.equal((await bare.get('/registry/x')).metadata.name, 'x');
  } finally {
    await bare.close();
  }
});

test('memory:// opens an empty memory store', async () => {
  const store = await openStore('memory://');
  try {
    assert.equal(await store.count('/'), 0);
  } finally {
    await store.close();
  }
});

test('unsupported endpoints fail with an error naming them', async () => {
  await assert.rejects(openStore('postgres://db/k8s'), /unsupported datastore endpoint postgres:\/\/db\/k8s/);
  await assert.rejects(openStore('http://127.0.0.1:1/path'), /not an etcd client URL/);
  await assert.rejects(openStore('sqlite://'), /names no database file/);
});
