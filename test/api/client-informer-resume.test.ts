/**
 * How the client library's list-and-watch survives a real API server ending watches:
 * a watch that ran out its timeout or lost its connection is resumed from the last
 * resourceVersion seen, without a relist; a resourceVersion the server no longer has
 * (410) makes the informer relist, and the cache converges, deletes included.
 * Answers a real server gives only on timing a test cannot arrange (a bookmark, due
 * every 30 s; a 410 on a relist) are made by the test in front of the server.
 *
 * Backoff waits run on a FakeClock that the tests advance once the reflector sleeps;
 * everything else is real requests to a real server.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/object.js';
import { FakeClock, Reflector, SharedInformer, objectKey } from '../../src/client/index.js';
import type { ResourceTarget } from '../../src/client/index.js';
import { connect, type ConnectedClient } from '../support/apiClient.js';
import { startInProcessApi, type InProcessApi, type InProcessApiOptions } from '../support/inProcessApi.js';
import { recordHandlerCalls, serverState } from '../support/informerLog.js';
import { waitUntil } from '../support/poll.js';
import { isList, isWatch, statusAnswer, watchAnswer, type SeenRequest } from '../support/tappedTransport.js';

const allPods: ResourceTarget = { group: '', version: 'v1', resource: 'pods' };
const podsIn = (namespace: string): ResourceTarget => ({ ...allPods, namespace });
const PODS_PATH = '/api/v1/pods';

function pod(name: string): KubeObject {
  return { metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } };
}

/** `list rv=…`, `list continue`, `watch rv=…`: the informer's requests in order. */
function describeRequest(req: SeenRequest): string {
  const rv = req.query.get('resourceVersion');
  if (isWatch(req)) return `watch rv=${rv}`;
  if (req.query.has('continue')) return 'list continue';
  return `list rv=${rv ?? ''}${req.query.has('limit') ? ' paged' : ''}`;
}

/**
 * Lets the reflector's backoffs pass until `condition` holds: whenever it sleeps on
 * `clock`, time jumps past its backoff. Bounded in real time.
 */
async function driveUntil(clock: FakeClock, what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    if (clock.pendingTimers() > 0) await clock.advance(60_000);
    else await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface Setup {
  api: InProcessApi;
  reader: ConnectedClient;
  writer: ConnectedClient;
  clock: FakeClock;
  informer: SharedInformer<KubeObject>;
  stop: AbortController;
  running: Promise<void>;
}

describe('resuming and relisting against a real API server', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function serverWith(options: InProcessApiOptions = {}): Promise<{ api: InProcessApi; reader: ConnectedClient; writer: ConnectedClient }> {
    const api = await startInProcessApi(undefined, options);
    const reader = connect(api);
    const writer = connect(api);
    cleanups.push(async () => {
      reader.close();
      writer.close();
      await api.stop();
    });
    return { api, reader, writer };
  }

  /** A synced informer on every pod, with its backoff on a FakeClock, after `names` were created in default. */
  async function syncedInformer(names: string[], options: InProcessApiOptions = {}, pageSize?: number): Promise<Setup> {
    const { api, reader, writer } = await serverWith(options);
    for (const name of names) await writer.client.create(podsIn('default'), pod(name));
    const clock = new FakeClock();
    const informer = new SharedInformer<KubeObject>({ client: reader.client, target: allPods, clock, pageSize, onError: () => {} });
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    cleanups.push(async () => {
      stop.abort();
      await running;
    });
    assert.equal(await informer.waitForSync(AbortSignal.timeout(5_000)), true);
    await waitUntil('the first watch open', () => reader.tap.openWatches === 1);
    return { api, reader, writer, clock, informer, stop, running };
  }

  test('a watch the server ends at its timeout is resumed from the last resourceVersion, without a relist', async () => {
    const { writer, reader } = await serverWith();
    await writer.client.create(podsIn('default'), pod('a'));
    const applied: string[] = [];
    const stop = new AbortController();
    const reflector = new Reflector<KubeObject>(
      { replace: (objects) => applied.push(`replace ${objects.map(objectKey).join(',')}`), apply: (type, obj) => applied.push(`${type} ${objectKey(obj)}`) },
      // Watches last one second (server-enforced); the reflector then watches again at once.
      { client: reader.client, target: allPods, minWatchTimeoutSeconds: 1, random: () => 0 },
    );
    const running = reflector.run(stop.signal);
    cleanups.push(async () => {
      stop.abort();
      await running;
    });
    await waitUntil('the first watch open', () => reader.tap.openWatches === 1);
    const created = await writer.client.create(podsIn('default'), pod('b'));
    await waitUntil('b seen', () => applied.includes('ADDED default/b'));
    await waitUntil('a second watch after the first timed out', () => reader.tap.requests.filter(isWatch).length === 2, 5_000);
    const watches = reader.tap.requests.filter(isWatch);
    assert.equal(watches[0]?.query.get('timeoutSeconds'), '1');
    assert.equal(watches[1]?.query.get('resourceVersion'), created.metadata?.resourceVersion);
    assert.equal(reader.tap.requests.filter((r) => isList(r, PODS_PATH)).length, 1, 'no relist');

    await writer.client.delete(podsIn('default'), 'a');
    await waitUntil('the delete seen on the resumed watch', () => applied.includes('DELETED default/a'));
    assert.deepEqual(applied, ['replace default/a', 'ADDED default/b', 'DELETED default/a']);
  });

  test('after a dropped connection the informer resumes from its last resourceVersion: changes made meanwhile arrive as events', async () => {
    const { api, reader, writer, clock, informer } = await syncedInformer(['a', 'b']);
    const log = recordHandlerCalls(informer);
    await writer.client.create(podsIn('default'), pod('c'));
    await waitUntil('c seen', () => log.lines.includes('add default/c'));
    const seenVersion = informer.lastSyncResourceVersion;
    const requestsBefore = reader.tap.requests.length;

    api.dropConnections();
    await waitUntil('the reflector backing off', () => clock.pendingTimers() > 0);
    await writer.client.delete(podsIn('default'), 'a');
    await writer.client.create(podsIn('default'), pod('d'));
    await writer.client.patch(podsIn('default'), 'b', 'merge', { metadata: { labels: { changed: 'yes' } } });

    log.lines.length = 0;
    await driveUntil(clock, 'the missed changes replayed', () => log.lines.length === 3);
    assert.deepEqual(log.lines, ['delete default/a', 'add default/d', 'update default/b']);
    assert.deepEqual(log.cacheState(), await serverState(writer.client, allPods));
    const after = reader.tap.requests.slice(requestsBefore).map(describeRequest);
    assert.deepEqual(after, [`watch rv=${seenVersion}`], 'one watch from the last version seen, no relist');
  });

  test('on 410 Gone the informer relists; objects deleted meanwhile fire delete handlers and the cache converges', async () => {
    // A one-event watch cache and a compacted store: the informer's version is gone for good.
    const { api, reader, writer, clock, informer } = await syncedInformer(['a', 'b', 'c'], { watchCacheSize: 1 });
    const log = recordHandlerCalls(informer);
    const seenVersion = informer.lastSyncResourceVersion;
    const requestsBefore = reader.tap.requests.length;

    api.dropConnections();
    await waitUntil('the reflector backing off', () => clock.pendingTimers() > 0);
    await writer.client.delete(podsIn('default'), 'a');
    await writer.client.create(podsIn('default'), pod('z'));
    await writer.client.patch(podsIn('default'), 'b', 'merge', { metadata: { labels: { changed: 'yes' } } });
    await api.compact();

    log.lines.length = 0;
    await driveUntil(clock, 'the relist announced', () => log.lines.length === 3);
    assert.deepEqual(log.lines.sort(), ['add default/z', 'tombstone default/a', 'update default/b']);
    assert.deepEqual(log.cacheState(), await serverState(writer.client, allPods));
    await waitUntil('watching again', () => reader.tap.requests.slice(requestsBefore).filter(isWatch).length === 2);
    const after = reader.tap.requests.slice(requestsBefore).map(describeRequest);
    assert.deepEqual(after, [`watch rv=${seenVersion}`, `list rv=${seenVersion} paged`, `watch rv=${informer.lastSyncResourceVersion}`]);

    // The informer keeps up after the relist.
    await writer.client.delete(podsIn('default'), 'z');
    await waitUntil('the next delete', () => log.lines.includes('delete default/z'));
  });

  test('a bookmark moves the version the next watch resumes from', async () => {
    const { reader, writer } = await serverWith();
    await writer.client.create(podsIn('default'), pod('a'));
    // A write elsewhere moves the store's version; only a bookmark tells a pod watcher about it.
    const elsewhere = await writer.client.create<KubeObject>({ group: '', version: 'v1', resource: 'configmaps', namespace: 'default' }, { metadata: { name: 'elsewhere' } });
    const bookmarked = elsewhere.metadata.resourceVersion ?? '';
    reader.tap.intercept(isWatch, () => watchAnswer([{ type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: bookmarked } } }]));
    const informer = new SharedInformer<KubeObject>({ client: reader.client, target: allPods, clock: new FakeClock(), onError: () => {} });
    const log = recordHandlerCalls(informer);
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    cleanups.push(async () => {
      stop.abort();
      await running;
    });
    await waitUntil('watching the server after the bookmark', () => reader.tap.requests.filter(isWatch).length === 2 && reader.tap.openWatches === 1);
    assert.equal(informer.lastSyncResourceVersion, bookmarked);
    assert.equal(reader.tap.requests.filter(isWatch)[1]?.query.get('resourceVersion'), bookmarked);
    assert.equal(reader.tap.requests.filter(isWatch)[0]?.query.get('allowWatchBookmarks'), 'true');
    await writer.client.create(podsIn('default'), pod('b'));
    await waitUntil('b seen from the bookmarked version', () => log.lines.includes('add default/b'));
    assert.deepEqual(log.lines, ['add default/a', 'add default/b'], 'a bookmark is no change for the handlers');
  });

  test('a watch request refused with 410 Gone makes the informer relist', async () => {
    const { api, reader, writer, clock, informer } = await syncedInformer(['a']);
    const log = recordHandlerCalls(informer);
    const seenVersion = informer.lastSyncResourceVersion;
    const requestsBefore = reader.tap.requests.length;
    reader.tap.intercept(isWatch, () => statusAnswer(410, 'Gone', 'the watch cannot start there'));
    api.dropConnections();
    await waitUntil('the reflector backing off', () => clock.pendingTimers() > 0);
    await writer.client.create(podsIn('default'), pod('b'));
    await driveUntil(clock, 'b listed', () => log.lines.includes('add default/b'));
    await waitUntil('watching again', () => reader.tap.openWatches === 1);
    const after = reader.tap.requests.slice(requestsBefore).map(describeRequest);
    assert.deepEqual(after, [`watch rv=${seenVersion}`, `list rv=${seenVersion} paged`, `watch rv=${informer.lastSyncResourceVersion}`]);
  });

  test('a relist refused as too old reads the latest state in pages; an expired continue token falls back to one unpaged list', async () => {
    const { api, reader, writer, clock, informer } = await syncedInformer(['a', 'b', 'c', 'd', 'e'], { watchCacheSize: 1 }, 2);
    const log = recordHandlerCalls(informer);
    const seenVersion = informer.lastSyncResourceVersion;
    const requestsBefore = reader.tap.requests.length;

    // The server answers the relist at the old version from its watch cache; a server reading
    // storage there refuses it as expired, which is what the client is made to see here.
    reader.tap.intercept(
      (r) => isList(r, PODS_PATH) && r.query.get('resourceVersion') === seenVersion,
      () => statusAnswer(410, 'Expired', `too old resource version: ${seenVersion}`),
    );
    // Between the first and second page, history moves on and is compacted: the real server
    // then refuses the continue token.
    reader.tap.intercept(
      (r) => isList(r, PODS_PATH) && r.query.has('continue'),
      async () => {
        await writer.client.create({ group: '', version: 'v1', resource: 'configmaps', namespace: 'default' }, { metadata: { name: 'moves-history' } });
        await api.compact();
        return undefined;
      },
    );
    api.dropConnections();
    await waitUntil('the reflector backing off', () => clock.pendingTimers() > 0);
    await writer.client.delete(podsIn('default'), 'a');
    await writer.client.create(podsIn('default'), pod('f'));
    await api.compact();

    log.lines.length = 0;
    await driveUntil(clock, 'the relist announced', () => log.lines.length === 2);
    assert.deepEqual(log.lines.sort(), ['add default/f', 'tombstone default/a']);
    assert.deepEqual(log.cacheState(), await serverState(writer.client, allPods));
    await waitUntil('watching again', () => reader.tap.requests.slice(requestsBefore).filter(isWatch).length === 2);
    const after = reader.tap.requests.slice(requestsBefore).map(describeRequest);
    assert.deepEqual(after, [
      `watch rv=${seenVersion}`,
      `list rv=${seenVersion} paged`,
      'list rv= paged',
      'list continue',
      'list rv=',
      `watch rv=${informer.lastSyncResourceVersion}`,
    ]);
  });
});
