/**
 * Shared informers of the client library against a real API server: the initial list,
 * handlers firing for changes another client makes, listers by namespace, label and
 * a custom index, server-side selectors, resync, and the factory that shares them.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../src/api/object.js';
import { parseLabelSelector } from '../../src/api/selectors/labelSelector.js';
import { FakeClock, HttpsTransport, InformerFactory, RestClient, SharedInformer, objectKey } from '../../src/client/index.js';
import type { InformerOptions, ResourceTarget } from '../../src/client/index.js';
import { connect, type ConnectedClient } from '../support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';
import { recordHandlerCalls, serverState } from '../support/informerLog.js';
import { waitUntil } from '../support/poll.js';

type PodObject = KubeObject & Pod;

const allPods: ResourceTarget = { group: '', version: 'v1', resource: 'pods' };
const podsIn = (namespace: string): ResourceTarget => ({ ...allPods, namespace });
const nodes: ResourceTarget = { group: '', version: 'v1', resource: 'nodes' };
const namespaces: ResourceTarget = { group: '', version: 'v1', resource: 'namespaces' };

function pod(name: string, labels: Record<string, string> = {}, nodeName?: string): PodObject {
  return { metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'busybox:1' }], ...(nodeName ? { nodeName } : {}) } };
}

/** Index function: the node a pod runs on. */
const byNode = (obj: PodObject): string[] => (obj.spec?.nodeName ? [obj.spec.nodeName] : []);
const keys = (objects: KubeObject[]): string[] => objects.map(objectKey).sort();
const matcher = (selector: string) => {
  const parsed = parseLabelSelector(selector);
  return (labels: Readonly<Record<string, string>>) => parsed.matches(labels);
};

describe('SharedInformer against a real API server', () => {
  let api: InProcessApi;
  /** The informer's connection. */
  let reader: ConnectedClient;
  /** Another client, making the changes the informer should see. */
  let writer: ConnectedClient;
  let stop: AbortController;
  const errors: unknown[] = [];
  const running: Promise<void>[] = [];

  beforeEach(async () => {
    api = await startInProcessApi();
    reader = connect(api);
    writer = connect(api);
    stop = new AbortController();
    errors.length = 0;
    running.length = 0;
    await writer.client.create(namespaces, { metadata: { name: 'apps' } });
  });
  afterEach(async () => {
    stop.abort();
    await Promise.all(running);
    reader.close();
    writer.close();
    await api.stop();
  });

  function start<T extends KubeObject>(informer: SharedInformer<T>): void {
    running.push(informer.run(stop.signal));
  }

  function informerOf<T extends KubeObject = PodObject>(options: Partial<InformerOptions<T>> = {}): SharedInformer<T> {
    return new SharedInformer<T>({ client: reader.client, target: allPods, onError: (err) => errors.push(err), ...options });
  }

  test('lists, syncs, then fires add, update and delete for changes another client makes', async () => {
    for (const name of ['a', 'b', 'c']) await writer.client.create(podsIn('default'), pod(name));
    const informer = informerOf();
    const log = recordHandlerCalls(informer);
    start(informer);
    assert.equal(await informer.waitForSync(AbortSignal.timeout(5_000)), true);
    assert.equal(informer.hasSynced(), true);
    assert.deepEqual(log.initialAdds.sort(), ['default/a', 'default/b', 'default/c']);
    assert.deepEqual(log.cacheState(), await serverState(writer.client, allPods));

    log.lines.length = 0;
    await writer.client.create(podsIn('apps'), pod('d'));
    await writer.client.patch(podsIn('default'), 'b', 'merge', { metadata: { labels: { changed: 'yes' } } });
    await writer.client.delete(podsIn('default'), 'c');
    await waitUntil('three handler calls', () => log.lines.length === 3);
    assert.deepEqual(log.lines, ['add apps/d', 'update default/b', 'delete default/c']);
    assert.equal(log.initialAdds.length, 3, 'later adds are not part of the initial list');
    assert.deepEqual(log.cacheState(), await serverState(writer.client, allPods));
    assert.equal(informer.lister.get('b', 'default')?.metadata.labels?.['changed'], 'yes');
    assert.equal(informer.lastSyncResourceVersion, (await writer.client.list(allPods)).metadata.resourceVersion, 'the cache is at the latest version');
    assert.deepEqual(errors, []);
  });

  test('listers read by namespace, by label and through a custom index, kept current by the watch', async () => {
    await writer.client.create(nodes, { metadata: { name: 'n1' } });
    await writer.client.create(nodes, { metadata: { name: 'n2' } });
    await writer.client.create(podsIn('default'), pod('web-1', { app: 'web' }, 'n1'));
    await writer.client.create(podsIn('default'), pod('db-1', { app: 'db' }, 'n1'));
    await writer.client.create(podsIn('apps'), pod('web-2', { app: 'web', tier: 'front' }, 'n2'));
    await writer.client.create(podsIn('apps'), pod('pending', { app: 'web' }));
    const informer = informerOf({ indexers: { node: byNode } });
    start(informer);
    await informer.waitForSync(AbortSignal.timeout(5_000));
    const { lister } = informer;

    assert.deepEqual(keys(lister.namespace('apps').list()), ['apps/pending', 'apps/web-2']);
    assert.deepEqual(keys(lister.list(matcher('app=web'))), ['apps/pending', 'apps/web-2', 'default/web-1']);
    assert.deepEqual(keys(lister.namespace('apps').list(matcher('app=web,tier'))), ['apps/web-2']);
    assert.deepEqual(keys(lister.byIndex('node', 'n1')), ['default/db-1', 'default/web-1']);
    assert.deepEqual(keys(lister.byIndex('node', 'n1', matcher('app!=db'))), ['default/web-1']);
    assert.equal(lister.namespace('default').get('web-2'), undefined);
    assert.equal(lister.get('web-2', 'apps')?.spec?.nodeName, 'n2');

    // Binding the pending pod moves it into n2's index; deleting one takes it out of every view.
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'pending' }, target: { kind: 'Node', name: 'n2' } };
    await writer.client.create(podsIn('apps'), binding, { subresource: 'binding' });
    await writer.client.delete(podsIn('default'), 'db-1', { gracePeriodSeconds: 0 });
    await waitUntil('the binding and the delete seen', () => lister.byIndex('node', 'n2').length === 2 && lister.byIndex('node', 'n1').length === 1);
    assert.deepEqual(keys(lister.byIndex('node', 'n2')), ['apps/pending', 'apps/web-2']);
    assert.deepEqual(keys(lister.byIndex('node', 'n1')), ['default/web-1']);
    assert.deepEqual(informer.indexer.indexValues('node').sort(), ['n1', 'n2']);
    assert.deepEqual(keys(lister.namespace('default').list()), ['default/web-1']);
  });

  test('server-side selectors: an object leaving the selection is deleted from the cache, one entering it is added', async () => {
    await writer.client.create(podsIn('default'), pod('in', { app: 'web' }));
    await writer.client.create(podsIn('default'), pod('out', { app: 'db' }));
    await writer.client.create(podsIn('apps'), pod('elsewhere', { app: 'web' }));
    const informer = informerOf({ labelSelector: 'app=web', fieldSelector: 'metadata.namespace=default' });
    const log = recordHandlerCalls(informer);
    start(informer);
    await informer.waitForSync(AbortSignal.timeout(5_000));
    assert.deepEqual(log.initialAdds, ['default/in']);

    log.lines.length = 0;
    await writer.client.patch(podsIn('default'), 'in', 'merge', { metadata: { labels: { app: 'db' } } });
    await writer.client.patch(podsIn('default'), 'out', 'merge', { metadata: { labels: { app: 'web' } } });
    await waitUntil('leaving and entering seen', () => log.lines.length === 2);
    assert.deepEqual(log.lines, ['delete default/in', 'add default/out']);
    assert.deepEqual(log.cacheState(), await serverState(writer.client, podsIn('default'), 'app=web'));
  });

  test('a handler added late gets the cache as initial adds; a throwing handler stops neither the informer nor the others', async () => {
    await writer.client.create(podsIn('default'), pod('a'));
    const informer = informerOf();
    informer.addEventHandler({
      onAdd: () => {
        throw new Error('handler bug');
      },
    });
    start(informer);
    await informer.waitForSync(AbortSignal.timeout(5_000));
    const late: [string, boolean][] = [];
    informer.addEventHandler({ onAdd: (obj, initial) => late.push([objectKey(obj), initial]) });
    assert.deepEqual(late, [['default/a', true]]);
    await writer.client.create(podsIn('default'), pod('b'));
    await waitUntil('the second add', () => late.length === 2);
    assert.deepEqual(late[1], ['default/b', false]);
    assert.ok(errors.length >= 2 && errors.every((e) => e instanceof Error && e.message === 'handler bug'));
  });

  test('resync re-announces every cached object as an update to itself, on the informer clock', async () => {
    for (const name of ['a', 'b']) await writer.client.create(podsIn('default'), pod(name));
    const clock = new FakeClock();
    const informer = informerOf({ clock, resyncPeriodMs: 30_000 });
    const resynced: string[] = [];
    informer.addEventHandler({ onUpdate: (o, n) => void (o === n ? resynced.push(objectKey(n)) : undefined) });
    start(informer);
    await informer.waitForSync(AbortSignal.timeout(5_000));
    await clock.advance(29_000);
    assert.deepEqual(resynced, []);
    await clock.advance(1_000);
    assert.deepEqual(resynced.sort(), ['default/a', 'default/b']);
    await clock.advance(30_000);
    assert.equal(resynced.length, 4);
    stop.abort();
    await Promise.all(running);
    assert.equal(clock.pendingTimers(), 0, 'stopping leaves no timer behind');
  });

  test('the factory shares one informer per resource and selector, and starts, syncs and stops them together', async () => {
    await writer.client.create(podsIn('default'), pod('a', { app: 'web' }, 'n1'));
    await writer.client.create(nodes, { metadata: { name: 'n1' } });
    const factory = new InformerFactory(reader.client, { onError: (err) => errors.push(err) });
    const pods1 = factory.informerFor<PodObject>(allPods);
    const pods2 = factory.informerFor<PodObject>(allPods, { indexers: { node: byNode } });
    const webPods = factory.informerFor<PodObject>(allPods, { labelSelector: 'app=web' });
    const nodeInformer = factory.informerFor(nodes);
    assert.equal(pods1, pods2);
    assert.notEqual(pods1, webPods);
    factory.start(stop.signal);
    assert.equal(await factory.waitForCacheSync(AbortSignal.timeout(5_000)), true);
    assert.deepEqual(keys(pods1.lister.byIndex('node', 'n1')), ['default/a']);
    assert.deepEqual(keys(webPods.lister.list()), ['default/a']);
    assert.deepEqual(keys(nodeInformer.lister.list()), ['n1']);
    assert.throws(() => factory.informerFor(allPods, { indexers: { other: () => [] } }), /already started/);

    await writer.client.create(nodes, { metadata: { name: 'n2' } });
    await waitUntil('the new node', () => nodeInformer.lister.get('n2') !== undefined);
    stop.abort();
    await factory.stopped();
    assert.equal(reader.tap.openWatches, 0, 'stopping ends every watch');
    assert.deepEqual(errors, []);
  });

  test('waitForSync resolves false when stopped before any list succeeded', async () => {
    const gone = await startInProcessApi();
    await gone.stop();
    const transport = new HttpsTransport({ server: gone.url });
    const clock = new FakeClock();
    const informer = new SharedInformer({ client: new RestClient(transport, { maxRetries: 0 }), target: allPods, clock, onError: (err) => errors.push(err) });
    const ending = informer.run(stop.signal);
    const waiting = informer.waitForSync(stop.signal);
    await waitUntil('the failed list reported', () => errors.length > 0);
    stop.abort();
    assert.equal(await waiting, false);
    await ending;
    transport.close();
    assert.equal(informer.hasSynced(), false);
    assert.equal(clock.pendingTimers(), 0);
  });
});
