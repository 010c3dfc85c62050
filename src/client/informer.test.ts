import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/object.js';
import { FakeClock } from './clock.js';
import { objectKey } from './indexer.js';
import { SharedInformer, deletedObject, isTombstone } from './informer.js';
import type { DeletedFinalStateUnknown } from './informer.js';
import { InformerFactory } from './informerFactory.js';
import type { ResourceTarget } from './paths.js';
import { RestClient } from './restClient.js';
import { FakeApiServer } from './testing/fakeApi.js';
import { eventually } from './testing/eventually.js';
import { TransportError } from './transport.js';

const allPods: ResourceTarget = { group: '', version: 'v1', resource: 'pods' };
const podsIn = (namespace: string): ResourceTarget => ({ ...allPods, namespace });

function pod(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

/** Records what handlers saw, as `add ns/name`, `update ns/name`, `delete ns/name` (`tombstone` for inferred deletes). */
function recorder(informer: SharedInformer<KubeObject>): { log: string[]; cacheState: () => Map<string, string> } {
  const log: string[] = [];
  informer.addEventHandler({
    onAdd: (obj) => log.push(`add ${objectKey(obj)}`),
    onUpdate: (oldObj, newObj) => {
      if (oldObj.metadata.resourceVersion !== newObj.metadata.resourceVersion) log.push(`update ${objectKey(newObj)}`);
    },
    onDelete: (obj: KubeObject | DeletedFinalStateUnknown<KubeObject>) =>
      log.push(`${isTombstone(obj) ? 'tombstone' : 'delete'} ${objectKey(deletedObject(obj))}`),
  });
  const cacheState = (): Map<string, string> =>
    new Map(informer.lister.list().map((o) => [objectKey(o), o.metadata.resourceVersion ?? '']));
  return { log, cacheState };
}

/** What the server holds, as key → resourceVersion, to compare with the cache. */
async function serverState(client: RestClient): Promise<Map<string, string>> {
  const list = await client.list(allPods);
  return new Map(list.items.map((o) => [objectKey(o), o.metadata.resourceVersion ?? '']));
}

function setup(pageSize?: number) {
  const api = new FakeApiServer();
  const client = new RestClient(api);
  const clock = new FakeClock();
  const errors: unknown[] = [];
  const informer = new SharedInformer<KubeObject>({
    client,
    target: allPods,
    clock,
    pageSize,
    onError: (err) => errors.push(err),
  });
  const stop = new AbortController();
  return { api, client, clock, informer, stop, errors };
}

/** The informer's LISTs (always paged, unlike the tests' own reads). */
const lists = (api: FakeApiServer) => api.requests.filter((r) => r.method === 'GET' && r.query.includes('limit='));
const watches = (api: FakeApiServer) => api.requests.filter((r) => r.query.includes('watch=true'));

describe('SharedInformer', () => {
  test('lists in pages, syncs, then sees adds, updates and deletes from the watch', async () => {
    const { api, client, informer, stop, clock } = setup(2);
    for (const name of ['a', 'b', 'c', 'd', 'e']) await client.create(podsIn('default'), pod(name));
    const { log, cacheState } = recorder(informer);
    const running = informer.run(stop.signal);
    assert.equal(await informer.waitForSync(stop.signal), true);
    assert.equal(informer.hasSynced(), true);
    assert.deepEqual(cacheState(), await serverState(client));
    assert.ok(lists(api).length >= 3, 'five objects in pages of two take three LISTs');
    assert.ok(lists(api).slice(1).every((r) => r.query.includes('continue=')));

    log.length = 0;
    await client.create(podsIn('default'), pod('f'));
    const b = await client.get(podsIn('default'), 'b');
    await client.update(podsIn('default'), { ...b, metadata: { ...b.metadata, labels: { x: '1' } } });
    await client.delete(podsIn('default'), 'c');
    await eventually(() => log.length === 3, 'three events');
    assert.deepEqual(log, ['add default/f', 'update default/b', 'delete default/c']);
    assert.deepEqual(cacheState(), await serverState(client));
    assert.equal(informer.lastSyncResourceVersion, String(api.revision));

    stop.abort();
    await running;
    assert.equal(api.openWatches, 0);
    assert.equal(clock.pendingTimers(), 0);
  });

  test('watch requests ask for bookmarks and start at the list resourceVersion; bookmarks advance it', async () => {
    const { api, client, informer, stop } = setup();
    await client.create(podsIn('default'), pod('a'));
    const running = informer.run(stop.signal);
    await informer.waitForSync(stop.signal);
    await eventually(() => api.openWatches === 1, 'watch open');
    const watch = new URLSearchParams(watches(api)[0]!.query);
    assert.equal(watch.get('allowWatchBookmarks'), 'true');
    assert.equal(watch.get('resourceVersion'), String(api.revision));

    // A write to another resource moves the global revision; only a bookmark tells the informer.
    await client.create({ group: '', version: 'v1', resource: 'configmaps', namespace: 'default' }, { metadata: { name: 'cm' } });
    api.sendBookmarks();
    await eventually(() => informer.lastSyncResourceVersion === String(api.revision), 'bookmark seen');
    stop.abort();
    await running;
  });

  test('resumes from the last seen resourceVersion after a watch drop, missing nothing and not relisting', async () => {
    const { api, client, informer, stop, clock, errors } = setup();
    await client.create(podsIn('default'), pod('a'));
    await client.create(podsIn('default'), pod('b'));
    const { log, cacheState } = recorder(informer);
    const running = informer.run(stop.signal);
    await informer.waitForSync(stop.signal);
    await eventually(() => api.openWatches === 1, 'watch open');
    await client.create(podsIn('default'), pod('c'));
    await eventually(() => log.includes('add default/c'), 'c seen');
    const seenVersion = informer.lastSyncResourceVersion;

    // The connection drops and the next watch attempt fails: the informer backs off.
    api.injectFailure((r) => r.query?.get('watch') === 'true', new TransportError('Network', 'connect ECONNREFUSED', { code: 'ECONNREFUSED' }));
    api.closeWatches();
    await eventually(() => errors.length === 1, 'failed watch reported');
    // Meanwhile the world changes.
    await client.delete(podsIn('default'), 'a');
    await client.create(podsIn('default'), pod('d'));
    const b = await client.get(podsIn('default'), 'b');
    await client.update(podsIn('default'), { ...b, metadata: { ...b.metadata, labels: { changed: 'yes' } } });
    assert.equal(api.openWatches, 0);

    log.length = 0;
    await clock.advance(60_000);
    await eventually(() => log.length === 3, 'missed events replayed');
    assert.deepEqual(log, ['delete default/a', 'add default/d', 'update default/b']);
    assert.deepEqual(cacheState(), await serverState(client));
    assert.equal(lists(api).length, 1, 'no relist');
    const resumed = new URLSearchParams(watches(api).at(-1)!.query);
    assert.equal(resumed.get('resourceVersion'), seenVersion);

    stop.abort();
    await running;
    assert.equal(clock.pendingTimers(), 0);
  });

  test('relists on 410 Expired, inferring deletes as tombstones', async () => {
    const { api, client, informer, stop, clock } = setup();
    await client.create(podsIn('default'), pod('a'));
    await client.create(podsIn('default'), pod('b'));
    const { log, cacheState } = recorder(informer);
    const running = informer.run(stop.signal);
    await informer.waitForSync(stop.signal);
    await eventually(() => api.openWatches === 1, 'watch open');

    // While the informer is disconnected, changes happen and history is compacted past them.
    api.injectFailure((r) => r.query?.get('watch') === 'true', { status: 503, body: 'down for maintenance' });
    api.closeWatches();
    await client.delete(podsIn('default'), 'a');
    await client.create(podsIn('default'), pod('z'));
    api.compact();
    log.length = 0;
    const listsBefore = lists(api).length;

    await clock.advance(60_000);
    await eventually(() => log.length === 2, 'relist announced');
    assert.deepEqual(log.sort(), ['add default/z', 'tombstone default/a']);
    assert.deepEqual(cacheState(), await serverState(client));
    const relists = lists(api).slice(listsBefore).map((r) => new URLSearchParams(r.query).get('resourceVersion'));
    assert.deepEqual(relists, [relists[0], null], 'first at the last seen version (refused as too old), then at the latest');
    assert.notEqual(relists[0], null);

    stop.abort();
    await running;
  });

  test('relists when the watch request itself is refused with 410 Gone', async () => {
    const { api, client, informer, stop, clock } = setup();
    await client.create(podsIn('default'), pod('a'));
    const { log, cacheState } = recorder(informer);
    const running = informer.run(stop.signal);
    await informer.waitForSync(stop.signal);
    await eventually(() => api.openWatches === 1, 'watch open');
    const gone = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 410, reason: 'Gone', message: 'gone' });
    api.injectFailure((r) => r.query?.get('watch') === 'true', { status: 410, body: gone });
    api.closeWatches();
    await client.create(podsIn('default'), pod('b'));
    await clock.advance(60_000);
    await eventually(() => lists(api).length === 2 && api.openWatches === 1, 'relisted and watching again');
    assert.ok(log.includes('add default/b'));
    assert.deepEqual(cacheState(), await serverState(client));
    stop.abort();
    await running;
  });

  test('an expired continue token falls back to one unpaged list', async () => {
    const { api, client, informer, stop } = setup(2);
    for (const name of ['a', 'b', 'c', 'd', 'e']) await client.create(podsIn('default'), pod(name));
    const expired = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 410, reason: 'Expired', message: 'continue too old' });
    api.injectFailure((r) => r.query?.has('continue') === true, { status: 410, body: expired });
    const { cacheState } = recorder(informer);
    const running = informer.run(stop.signal);
    await informer.waitForSync(stop.signal);
    assert.deepEqual(cacheState(), await serverState(client));
    const informerLists = api.requests.filter((r) => r.path === '/api/v1/pods' && !r.query.includes('watch=true'));
    const unpaged = informerLists.filter((r) => !r.query.includes('limit='));
    assert.ok(unpaged.length >= 1, 'one LIST without a limit');
    stop.abort();
    await running;
  });

  test('handlers added late get the cache as adds; a throwing handler does not stop the others', async () => {
    const { client, informer, stop, errors } = setup();
    await client.create(podsIn('default'), pod('a'));
    informer.addEventHandler({
      onAdd: () => {
        throw new Error('handler bug');
      },
    });
    const running = informer.run(stop.signal);
    await informer.waitForSync(stop.signal);
    const late: [string, boolean][] = [];
    informer.addEventHandler({ onAdd: (obj, initial) => late.push([objectKey(obj), initial]) });
    assert.deepEqual(late, [['default/a', true]]);
    assert.ok(errors.some((e) => e instanceof Error && e.message === 'handler bug'));
    await client.create(podsIn('default'), pod('b'));
    await eventually(() => late.length === 2, 'second add');
    assert.deepEqual(late[1], ['default/b', false]);
    stop.abort();
    await running;
  });

  test('resync re-announces every cached object on the clock', async () => {
    const api = new FakeApiServer();
    const client = new RestClient(api);
    const clock = new FakeClock();
    await client.create(podsIn('default'), pod('a'));
    await client.create(podsIn('default'), pod('b'));
    const informer = new SharedInformer<KubeObject>({ client, target: allPods, clock, resyncPeriodMs: 30_000 });
    const resynced: string[] = [];
    informer.addEventHandler({ onUpdate: (o, n) => (o === n ? resynced.push(objectKey(n)) : undefined) });
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    await informer.waitForSync(stop.signal);
    assert.deepEqual(resynced, []);
    await clock.advance(30_000);
    assert.deepEqual(resynced.sort(), ['default/a', 'default/b']);
    stop.abort();
    await running;
    assert.equal(clock.pendingTimers(), 0);
  });

  test('waitForSync resolves false when aborted before the first list', async () => {
    const { api, informer, stop } = setup();
    api.injectFailure(() => true, { status: 500, body: 'boom' }, 1000);
    const running = informer.run(stop.signal);
    const waiting = informer.waitForSync(stop.signal);
    stop.abort();
    assert.equal(await waiting, false);
    await running;
    assert.equal(informer.hasSynced(), false);
  });
});

describe('InformerFactory', () => {
  test('shares one informer per resource and syncs them together', async () => {
    const api = new FakeApiServer();
    const client = new RestClient(api);
    await client.create(podsIn('default'), pod('a', { app: 'web' }));
    await client.create({ group: '', version: 'v1', resource: 'nodes' }, { metadata: { name: 'n1' } });
    const factory = new InformerFactory(client, { clock: new FakeClock() });
    const pods1 = factory.informerFor(allPods);
    const pods2 = factory.informerFor(allPods, { indexers: { app: (o) => [o.metadata.labels?.['app'] ?? ''] } });
    const nodes = factory.informerFor({ group: '', version: 'v1', resource: 'nodes' });
    assert.equal(pods1, pods2);
    assert.notEqual(pods1, nodes);
    const stop = new AbortController();
    factory.start(stop.signal);
    assert.equal(await factory.waitForCacheSync(stop.signal), true);
    assert.deepEqual(pods1.lister.byIndex('app', 'web').map(objectKey), ['default/a']);
    assert.deepEqual(nodes.lister.list().map(objectKey), ['n1']);
    assert.throws(() => factory.informerFor(allPods, { indexers: { other: () => [] } }));
    stop.abort();
    await factory.stopped();
    assert.equal(api.openWatches, 0);
  });
});
