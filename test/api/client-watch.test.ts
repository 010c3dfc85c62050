/**
 * RestClient.watch against a real API server: the decoded event stream for changes
 * another client makes, from the current state or from a resourceVersion, filtered by
 * selectors; its end when the server's timeout passes or the caller aborts; and the
 * ERROR event for a resourceVersion whose history is gone.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/object.js';
import type { ResourceTarget, WatchEvent } from '../../src/client/index.js';
import { connect, type ConnectedClient } from '../support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';

const configMaps = (namespace: string): ResourceTarget => ({ group: '', version: 'v1', resource: 'configmaps', namespace });

/** `TYPE name` of each event; ERROR events as `ERROR code reason`. */
function describeEvent(event: WatchEvent): string {
  if (event.type === 'ERROR') return `ERROR ${event.object.code} ${event.object.reason}`;
  return `${event.type} ${event.object.metadata.name ?? ''}`;
}

/** Reads the next `count` events (fewer if the stream ends), leaving the stream open. */
async function take(stream: AsyncGenerator<WatchEvent>, count: number): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  while (events.length < count) {
    const next = await stream.next();
    if (next.done === true) break;
    events.push(next.value);
  }
  return events;
}

/** A signal that ends a watch the test forgot to end, so a failing test cannot hang. */
const bounded = (): AbortSignal => AbortSignal.timeout(5_000);

describe('RestClient.watch against a real API server', () => {
  let api: InProcessApi;
  let conn: ConnectedClient;
  before(async () => {
    api = await startInProcessApi();
    conn = connect(api);
  });
  after(async () => {
    conn.close();
    await api.stop();
  });

  test('without a resourceVersion: the current objects as ADDED, then every change made by another client', async () => {
    const { client } = conn;
    const other = connect(api);
    try {
      await other.client.create(configMaps('default'), { metadata: { name: 'existing' } });
      const stream = await client.watch(configMaps('default'), { signal: bounded() });
      const [initial] = await take(stream, 1);
      assert.equal(initial && describeEvent(initial), 'ADDED existing');
      assert.equal(initial?.object.kind, 'ConfigMap');
      assert.equal(initial?.object.apiVersion, 'v1');

      const created = await other.client.create(configMaps('default'), { metadata: { name: 'fresh' }, data: { a: '1' } });
      await other.client.update(configMaps('default'), { ...created, data: { a: '2' } });
      await other.client.delete(configMaps('default'), 'existing');
      const events = await take(stream, 3);
      assert.deepEqual(events.map(describeEvent), ['ADDED fresh', 'MODIFIED fresh', 'DELETED existing']);
      assert.deepEqual((events[1]?.object as KubeObject | undefined)?.['data'], { a: '2' });
      await stream.return(undefined);
    } finally {
      other.close();
    }
  });

  test('from a resourceVersion: exactly the changes after it, including those made before the watch began', async () => {
    const { client } = conn;
    await client.create(configMaps('kube-public'), { metadata: { name: 'before' } });
    const list = await client.list(configMaps('kube-public'));
    await client.create(configMaps('kube-public'), { metadata: { name: 'after-list' } });
    await client.delete(configMaps('kube-public'), 'before');
    const stream = await client.watch(configMaps('kube-public'), { resourceVersion: list.metadata.resourceVersion, signal: bounded() });
    const events = await take(stream, 2);
    assert.deepEqual(events.map(describeEvent), ['ADDED after-list', 'DELETED before']);
    assert.ok(Number(events[0]?.object.metadata?.resourceVersion) > Number(list.metadata.resourceVersion));
    await stream.return(undefined);
  });

  test('with a label selector: objects entering the selection are ADDED, leaving it DELETED', async () => {
    const { client } = conn;
    const ns = configMaps('kube-node-lease');
    const stream = await client.watch(ns, { labelSelector: 'watched=yes', resourceVersion: (await client.list(ns)).metadata.resourceVersion, signal: bounded() });
    const plain = await client.create<KubeObject>(ns, { metadata: { name: 'moving', labels: { watched: 'no' } } });
    const inside = await client.patch(ns, 'moving', 'merge', { metadata: { labels: { watched: 'yes' } } });
    await client.update(ns, { ...inside, data: { touched: 'yes' } });
    await client.patch(ns, 'moving', 'merge', { metadata: { labels: { watched: 'no' } } });
    const events = await take(stream, 3);
    assert.deepEqual(events.map(describeEvent), ['ADDED moving', 'MODIFIED moving', 'DELETED moving']);
    assert.notEqual(events[0]?.object.metadata?.resourceVersion, plain.metadata.resourceVersion);
    await stream.return(undefined);
  });

  test('the stream ends by itself when the server-side timeoutSeconds passes', async () => {
    const { client } = conn;
    const stream = await client.watch(configMaps('kube-system'), { resourceVersion: (await client.list(configMaps('kube-system'))).metadata.resourceVersion, timeoutSeconds: 1, signal: bounded() });
    await client.create(configMaps('kube-system'), { metadata: { name: 'last-words' } });
    const events: WatchEvent[] = [];
    for await (const event of stream) events.push(event);
    assert.deepEqual(events.map(describeEvent), ['ADDED last-words']);
  });

  test('aborting the signal ends the stream quietly', async () => {
    const { client } = conn;
    const stop = new AbortController();
    const ns = configMaps('kube-system');
    const stream = await client.watch(ns, { resourceVersion: (await client.list(ns)).metadata.resourceVersion, signal: stop.signal });
    const timeout = setTimeout(() => stop.abort(), 5_000);
    await client.create(ns, { metadata: { name: 'then-abort' } });
    const events: WatchEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      stop.abort();
    }
    clearTimeout(timeout);
    assert.deepEqual(events.map(describeEvent), ['ADDED then-abort']);
  });
});

test('a resourceVersion whose history was compacted away gets an ERROR event with 410 Expired', async () => {
  const api = await startInProcessApi(undefined, { watchCacheSize: 1 });
  const { client, close } = connect(api);
  try {
    const old = (await client.list(configMaps('default'))).metadata.resourceVersion;
    for (const name of ['a', 'b', 'c']) await client.create(configMaps('default'), { metadata: { name } });
    await api.compact();
    const stream = await client.watch(configMaps('default'), { resourceVersion: old, signal: bounded() });
    const events: WatchEvent[] = [];
    for await (const event of stream) events.push(event);
    assert.deepEqual(events.map(describeEvent), ['ERROR 410 Expired']);
    assert.match((events[0]?.object as { message?: string }).message ?? '', /too old resource version/);
  } finally {
    close();
    await api.stop();
  }
});
