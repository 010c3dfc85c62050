import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TestEtcd } from '../../../test/support/etcd.js';
import { startEtcd } from '../../../test/support/etcd.js';
import type { KvEvent, KvWriteResult } from '../kv.js';
import { isStorageError } from '../store.js';
import { EtcdKv } from './etcdKv.js';

let etcd: TestEtcd | undefined;
before(async () => {
  etcd = await startEtcd();
});
after(() => etcd?.stop());

/** Retries a write while the client still considers the restarted etcd unreachable. */
async function createEventually(kv: EtcdKv, key: string): Promise<KvWriteResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await kv.create(key, '{}');
    } catch (err) {
      if (!isStorageError(err, 'Unavailable') || attempt > 200) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

test('a watch survives an etcd restart without losing or repeating events', { timeout: 120_000 }, async () => {
  const server = etcd as TestEtcd;
  const kv = new EtcdKv([server.endpoint]);
  try {
    const start = await kv.currentRevision();
    const events: KvEvent[] = [];
    let failure: unknown;
    let wake: (() => void) | undefined;
    const cancel = kv.watch('/r/', start, {
      onEvents(batch) {
        events.push(...batch);
        wake?.();
      },
      onError(err) {
        failure = err;
        wake?.();
      },
    });
    const until = async (count: number): Promise<void> => {
      while (events.length < count && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
    };
    const written: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await kv.create(`/r/before-${i}`, '{}');
      assert.ok(r.ok);
      written.push(r.revision);
    }
    await until(5);
    await server.restart();
    for (let i = 0; i < 5; i++) {
      const r = await createEventually(kv, `/r/after-${i}`);
      assert.ok(r.ok);
      written.push(r.revision);
    }
    await until(10);
    cancel();
    assert.equal(failure, undefined);
    assert.deepEqual(events.map((e) => e.revision), written);
  } finally {
    await kv.close();
  }
});

test('a list larger than gRPC\'s default 4 MiB message limit is read whole, and writes go on', { timeout: 60_000 }, async () => {
  const kv = new EtcdKv([(etcd as TestEtcd).endpoint]);
  try {
    const value = JSON.stringify({ blob: 'x'.repeat(1024 * 1024) });
    for (let i = 0; i < 5; i++) assert.ok((await kv.create(`/big/${i}`, value)).ok);
    const listed = await kv.range('/big/');
    assert.equal(listed.records.length, 5);
    assert.ok((await kv.create('/big/after', '{}')).ok);
  } finally {
    await kv.close();
  }
});
