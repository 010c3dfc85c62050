/**
 * The Store conformance suite: the executable definition of `store.ts`. Every backend
 * registers it from its own test file with a factory for fresh stores. Each case uses a
 * key prefix of its own, so backends that share one server (etcd) stay isolated.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { KubeObject } from '../api/object.js';
import type { StorageError, Store, StoreEvent } from './store.js';
import { isStorageError, MAX_OBJECT_BYTES } from './store.js';

/** A guard against hangs only: no case asserts on timing. */
const CASE_TIMEOUT_MS = 60_000;

let prefixCounter = 0;
function freshPrefix(): string {
  prefixCounter++;
  return `/registry/conformance-${randomUUID().slice(0, 8)}-${prefixCounter}/`;
}

function configMap(name: string, data: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', uid: randomUUID() }, data };
}

function dataOf(obj: KubeObject): Record<string, string> {
  return (obj['data'] ?? {}) as Record<string, string>;
}

function withData(obj: KubeObject, data: Record<string, string>): KubeObject {
  return { ...obj, data: { ...dataOf(obj), ...data } };
}

function rv(obj: KubeObject): number {
  const text = obj.metadata.resourceVersion;
  assert.ok(text !== undefined && /^[1-9][0-9]*$/.test(text), `resourceVersion ${String(text)} is a positive decimal`);
  return Number(text);
}

async function rejectsWith(promise: Promise<unknown>, kind: StorageError['kind']): Promise<StorageError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(isStorageError(err, kind), `expected StorageError ${kind}, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected StorageError ${kind}, but it succeeded`);
}

/** Collects watch events until `count` have arrived (or the watch fails). */
function collectEvents(store: Store, prefix: string, after: number, count: number): { done: Promise<StoreEvent[]>; stop(): void } {
  const events: StoreEvent[] = [];
  let resolve!: (events: StoreEvent[]) => void;
  let reject!: (err: unknown) => void;
  const done = new Promise<StoreEvent[]>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const watch = store.watch(prefix, after, {
    onEvents(batch) {
      events.push(...batch);
      if (events.length >= count) resolve(events);
    },
    onError: reject,
  });
  return { done, stop: () => watch.stop() };
}

/** Registers the conformance cases for one backend. `close` defaults to `store.close()`. */
export function runStoreConformance(
  name: string,
  open: () => Promise<Store>,
  close: (store: Store) => Promise<void> = (store) => store.close(),
): void {
  async function withStore(body: (store: Store, prefix: string) => Promise<void>): Promise<void> {
    const store = await open();
    try {
      await body(store, freshPrefix());
    } finally {
      await close(store);
    }
  }

  const it = (title: string, body: (store: Store, prefix: string) => Promise<void>): void => {
    test(title, { timeout: CASE_TIMEOUT_MS }, () => withStore(body));
  };

  describe(`Store conformance: ${name}`, () => {
    it('create, get, list, update and delete round-trip', async (store, prefix) => {
      const key = `${prefix}a`;
      const created = await store.create(key, configMap('a', { v: '1' }));
      assert.deepEqual(dataOf(created), { v: '1' });
      const createdAt = rv(created);
      assert.deepEqual(await store.get(key), created);
      const listed = await store.list(prefix);
      assert.deepEqual(listed.items, [created]);
      assert.ok(listed.revision >= createdAt);

      const updated = await store.guaranteedUpdate(key, undefined, (cur) => withData(cur as KubeObject, { v: '2' }));
      assert.deepEqual(dataOf(updated), { v: '2' });
      assert.ok(rv(updated) > createdAt);
      assert.deepEqual(await store.get(key), updated);

      const deleted = await store.delete(key);
      assert.deepEqual(dataOf(deleted), { v: '2' });
      await rejectsWith(store.get(key), 'NotFound');
      assert.deepEqual((await store.list(prefix)).items, []);
    });

    it('resourceVersion is set by the store, never persisted from the input', async (store, prefix) => {
      const input = configMap('a');
      input.metadata = { ...input.metadata, resourceVersion: '999999999' };
      const created = await store.create(`${prefix}a`, input);
      assert.equal(created.metadata.resourceVersion, String(await store.currentRevision()));
      const updated = await store.guaranteedUpdate(`${prefix}a`, undefined, (cur) => ({
        ...withData(cur as KubeObject, { x: 'y' }),
        metadata: { ...(cur as KubeObject).metadata, resourceVersion: '1' },
      }));
      assert.ok(rv(updated) > rv(created));
      assert.deepEqual(await store.get(`${prefix}a`), updated);
    });

    it('objects over MAX_OBJECT_BYTES are refused TooLarge on create and update, and nothing changes', async (store, prefix) => {
      const key = `${prefix}big`;
      const huge = 'x'.repeat(MAX_OBJECT_BYTES);
      await rejectsWith(store.create(key, configMap('big', { huge })), 'TooLarge');
      await rejectsWith(store.get(key), 'NotFound');
      const created = await store.create(key, configMap('big', { small: 'yes' }));
      await rejectsWith(store.guaranteedUpdate(key, undefined, (cur) => withData(cur as KubeObject, { huge })), 'TooLarge');
      assert.deepEqual(await store.get(key), created);
    });

    it('create of a live key fails AlreadyExists; a deleted key can be created again', async (store, prefix) => {
      const key = `${prefix}a`;
      await store.create(key, configMap('a'));
      await rejectsWith(store.create(key, configMap('a')), 'AlreadyExists');
      await store.delete(key);
      const again = await store.create(key, configMap('a', { second: 'yes' }));
      assert.deepEqual(dataOf(await store.get(key)), { second: 'yes' });
      assert.equal((await store.get(key)).metadata.resourceVersion, again.metadata.resourceVersion);
    });

    it('get, update and delete of a missing key fail NotFound', async (store, prefix) => {
      const key = `${prefix}missing`;
      await rejectsWith(store.get(key), 'NotFound');
      await rejectsWith(store.guaranteedUpdate(key, undefined, (cur) => cur as KubeObject), 'NotFound');
      await rejectsWith(store.delete(key), 'NotFound');
    });

    it('guaranteedUpdate with allowCreate creates a missing key', async (store, prefix) => {
      const key = `${prefix}a`;
      let sawUndefined = false;
      const created = await store.guaranteedUpdate(
        key,
        undefined,
        (cur) => {
          sawUndefined = cur === undefined;
          return configMap('a', { made: 'here' });
        },
        { allowCreate: true },
      );
      assert.ok(sawUndefined);
      assert.deepEqual(await store.get(key), created);
    });

    it('preconditions on uid and resourceVersion fail Conflict', async (store, prefix) => {
      const key = `${prefix}a`;
      const created = await store.create(key, configMap('a'));
      const bump = (cur: KubeObject | undefined): KubeObject => withData(cur as KubeObject, { n: String(Math.random()) });
      await rejectsWith(store.guaranteedUpdate(key, { uid: 'other-uid' }, bump), 'Conflict');
      await rejectsWith(store.guaranteedUpdate(key, { resourceVersion: String(rv(created) + 1000) }, bump), 'Conflict');
      const updated = await store.guaranteedUpdate(
        key,
        { uid: created.metadata.uid as string, resourceVersion: created.metadata.resourceVersion as string },
        bump,
      );
      await rejectsWith(store.guaranteedUpdate(key, { resourceVersion: created.metadata.resourceVersion as string }, bump), 'Conflict');
      await rejectsWith(store.delete(key, { uid: 'other-uid' }), 'Conflict');
      await rejectsWith(store.delete(key, { resourceVersion: created.metadata.resourceVersion as string }), 'Conflict');
      assert.deepEqual(await store.get(key), updated);
      const deleted = await store.delete(key, { uid: updated.metadata.uid as string, resourceVersion: updated.metadata.resourceVersion as string });
      assert.equal(deleted.metadata.uid, created.metadata.uid);
    });

    it('guaranteedUpdate that changes nothing writes nothing and returns the current object', async (store, prefix) => {
      const key = `${prefix}a`;
      const created = await store.create(key, configMap('a', { v: '1' }));
      const before = await store.currentRevision();
      const result = await store.guaranteedUpdate(key, undefined, (cur) => structuredClone(cur as KubeObject));
      assert.deepEqual(result, created);
      assert.equal(await store.currentRevision(), before);
    });

    it('an error thrown by tryUpdate or validate propagates and writes nothing', async (store, prefix) => {
      const key = `${prefix}a`;
      const created = await store.create(key, configMap('a'));
      const refusal = new Error('refused by test');
      await assert.rejects(store.guaranteedUpdate(key, undefined, () => { throw refusal; }), (err) => err === refusal);
      await assert.rejects(store.delete(key, undefined, () => { throw refusal; }), (err) => err === refusal);
      assert.deepEqual(await store.get(key), created);
    });

    it('delete returns the object stamped with its deletion revision', async (store, prefix) => {
      const key = `${prefix}a`;
      const created = await store.create(key, configMap('a', { v: '1' }));
      let validated: KubeObject | undefined;
      const deleted = await store.delete(key, undefined, (cur) => {
        validated = cur;
      });
      assert.deepEqual(validated, created);
      assert.ok(rv(deleted) > rv(created));
      assert.equal(rv(deleted), await store.currentRevision());
      assert.deepEqual({ ...deleted, metadata: { ...deleted.metadata, resourceVersion: '' } }, {
        ...created,
        metadata: { ...created.metadata, resourceVersion: '' },
      });
    });

    it('currentRevision is monotonic and every write advances it', async (store, prefix) => {
      let last = await store.currentRevision();
      for (let i = 0; i < 5; i++) {
        const obj = await store.create(`${prefix}${i}`, configMap(String(i)));
        const now = await store.currentRevision();
        assert.ok(now > last);
        assert.ok(now >= rv(obj));
        last = now;
      }
    });

    it('count counts live objects under a prefix only', async (store, prefix) => {
      for (let i = 0; i < 7; i++) await store.create(`${prefix}items/${i}`, configMap(String(i)));
      await store.create(`${prefix}other/x`, configMap('x'));
      await store.delete(`${prefix}items/3`);
      assert.equal(await store.count(`${prefix}items/`), 6);
      assert.equal(await store.count(`${prefix}`), 7);
      assert.equal(await store.count(`${prefix}none/`), 0);
    });

    it('list returns keys in order, only under the prefix, and reads an exact past revision', async (store, prefix) => {
      const names = ['c', 'a', 'b', 'e', 'd'];
      for (const n of names) await store.create(`${prefix}items/${n}`, configMap(n));
      await store.create(`${prefix}itemsx`, configMap('not-under-items/'));
      const before = await store.list(`${prefix}items/`);
      assert.deepEqual(before.items.map((o) => o.metadata.name), [...names].sort());
      await store.delete(`${prefix}items/a`);
      await store.guaranteedUpdate(`${prefix}items/b`, undefined, (cur) => withData(cur as KubeObject, { changed: 'yes' }));
      const past = await store.list(`${prefix}items/`, { revision: before.revision });
      assert.deepEqual(past.items, before.items);
      assert.equal(past.revision, before.revision);
    });

    it('list pages with limit/continue form one consistent snapshot despite writes between pages', async (store, prefix) => {
      for (let i = 0; i < 10; i++) await store.create(`${prefix}item-${i}`, configMap(`item-${i}`));
      const snapshot = await store.list(prefix);
      const first = await store.list(prefix, { limit: 3 });
      assert.equal(first.items.length, 3);
      assert.ok(first.continue !== undefined);
      assert.equal(first.remainingItemCount, 7);
      // Writes after the first page must not show in later pages.
      await store.delete(`${prefix}item-5`);
      await store.guaranteedUpdate(`${prefix}item-6`, undefined, (cur) => withData(cur as KubeObject, { late: 'write' }));
      await store.create(`${prefix}item-55`, configMap('item-55'));
      const pages = [first];
      let token: string | undefined = first.continue;
      while (token !== undefined) {
        const page = await store.list(prefix, { limit: 3, continue: token });
        assert.equal(page.revision, first.revision);
        pages.push(page);
        token = page.continue;
      }
      assert.equal(snapshot.revision, first.revision);
      assert.deepEqual(pages.flatMap((p) => p.items), snapshot.items);
    });

    it('list with a predicate fills pages with matching objects only', async (store, prefix) => {
      for (let i = 0; i < 12; i++) await store.create(`${prefix}item-${String(i).padStart(2, '0')}`, configMap(`item-${i}`, { odd: String(i % 2 === 1) }));
      const predicate = (obj: KubeObject): boolean => dataOf(obj)['odd'] === 'true';
      const names: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await store.list(prefix, { limit: 2, predicate, continue: token });
        pages++;
        assert.ok(page.items.length === 2 || page.continue === undefined, 'pages stay full until the last');
        assert.ok(page.items.every(predicate));
        names.push(...page.items.map((o) => o.metadata.name as string));
        token = page.continue;
      } while (token !== undefined);
      assert.ok(pages >= 3);
      const all = await store.list(prefix, { predicate });
      assert.deepEqual(names, all.items.map((o) => o.metadata.name));
      assert.equal(all.items.length, 6);
    });

    it('list at a compacted revision fails Compacted, at a future one FutureRevision', async (store, prefix) => {
      const first = await store.create(`${prefix}a`, configMap('a'));
      await store.guaranteedUpdate(`${prefix}a`, undefined, (cur) => withData(cur as KubeObject, { v: '2' }));
      const now = await store.currentRevision();
      await store.compact(now);
      const compacted = await rejectsWith(store.list(prefix, { revision: rv(first) }), 'Compacted');
      assert.ok(compacted.revision !== undefined && compacted.revision > rv(first));
      await rejectsWith(store.list(prefix, { revision: now + 1000 }), 'FutureRevision');
      assert.equal((await store.list(prefix, { revision: now })).items.length, 1);
    });

    it('a malformed continue token is refused', async (store, prefix) => {
      await rejectsWith(store.list(prefix, { limit: 1, continue: 'not-a-token' }), 'InvalidObject');
    });

    it('watch delivers every change after a revision in order, exactly once, with live writes at the seam', async (store, prefix) => {
      const start = await store.currentRevision();
      const writes: number[] = [];
      const record = (obj: KubeObject): void => {
        writes.push(rv(obj));
      };
      record(await store.create(`${prefix}a`, configMap('a', { v: '1' })));
      record(await store.guaranteedUpdate(`${prefix}a`, undefined, (cur) => withData(cur as KubeObject, { v: '2' })));
      record(await store.create(`${prefix}b`, configMap('b')));
      record(await store.delete(`${prefix}b`));
      await store.create(`/registry/elsewhere-${randomUUID()}/x`, configMap('x'));
      const expectedCount = 4 + 20;
      const watch = collectEvents(store, prefix, start, expectedCount);
      // Writes racing with the watch's start: replayed or live, never lost or doubled.
      const racing = Array.from({ length: 20 }, (_, i) => store.create(`${prefix}race-${i}`, configMap(`race-${i}`)));
      for (const obj of await Promise.all(racing)) record(obj);
      const events = await watch.done;
      watch.stop();
      assert.deepEqual(events.map((e) => e.revision), [...writes].sort((x, y) => x - y));
      assert.ok(events.every((e) => e.key.startsWith(prefix)));
      const [added, modified, addedB, deleted] = events as [StoreEvent, StoreEvent, StoreEvent, StoreEvent];
      assert.equal(added.type, 'ADDED');
      assert.equal(modified.type, 'MODIFIED');
      assert.deepEqual(dataOf(modified.object), { v: '2' });
      assert.deepEqual(dataOf(modified.prevObject as KubeObject), { v: '1' });
      assert.equal(modified.prevObject?.metadata.resourceVersion, String(added.revision));
      assert.equal(addedB.type, 'ADDED');
      assert.equal(deleted.type, 'DELETED');
      assert.equal(deleted.object.metadata.name, 'b');
      assert.equal(deleted.object.metadata.resourceVersion, String(deleted.revision));
      assert.ok(events.slice(4).every((e) => e.type === 'ADDED'));
      for (const e of events) {
        if (e.type !== 'DELETED') assert.equal(e.object.metadata.resourceVersion, String(e.revision));
      }
    });

    it('watch from the current revision sees only later changes', async (store, prefix) => {
      await store.create(`${prefix}old`, configMap('old'));
      const now = await store.currentRevision();
      const watch = collectEvents(store, prefix, now, 1);
      const created = await store.create(`${prefix}new`, configMap('new'));
      const [event] = await watch.done;
      watch.stop();
      assert.equal(event?.key, `${prefix}new`);
      assert.equal(event?.revision, rv(created));
    });

    it('watch from before the compacted revision fails Compacted', async (store, prefix) => {
      const first = await store.create(`${prefix}a`, configMap('a'));
      await store.guaranteedUpdate(`${prefix}a`, undefined, (cur) => withData(cur as KubeObject, { v: '2' }));
      await store.create(`${prefix}b`, configMap('b'));
      await store.compact(await store.currentRevision());
      const watch = collectEvents(store, prefix, rv(first) - 1, 1);
      const err = await watch.done.then(
        () => assert.fail('watch from a compacted revision delivered events'),
        (e: unknown) => e,
      );
      watch.stop();
      assert.ok(isStorageError(err, 'Compacted'), `expected Compacted, got ${String(err)}`);
    });

    it('a watch stopped through its AbortSignal delivers nothing more', async (store, prefix) => {
      const now = await store.currentRevision();
      const controller = new AbortController();
      const seen: StoreEvent[] = [];
      store.watch(prefix, now, { onEvents: (batch) => seen.push(...batch), onError: () => undefined }, controller.signal);
      controller.abort();
      const created = await store.create(`${prefix}a`, configMap('a'));
      // A second watch proves the event was published before we look at the first one.
      const witness = collectEvents(store, prefix, now, 1);
      assert.equal((await witness.done)[0]?.revision, rv(created));
      witness.stop();
      assert.deepEqual(seen, []);
    });

    it('20 concurrent guaranteedUpdate increments on one key lose no increment', async (store, prefix) => {
      const key = `${prefix}counter`;
      await store.create(key, configMap('counter', { n: '0' }));
      const increment = (cur: KubeObject | undefined): KubeObject =>
        withData(cur as KubeObject, { n: String(Number(dataOf(cur as KubeObject)['n']) + 1) });
      const results = await Promise.all(Array.from({ length: 20 }, () => store.guaranteedUpdate(key, undefined, increment)));
      assert.equal(dataOf(await store.get(key))['n'], '20');
      assert.equal(new Set(results.map((r) => r.metadata.resourceVersion)).size, 20);
    });
  });
}
