/**
 * The kubelet's watch-based ConfigMap/Secret reads against a real API server: reads
 * come from one single-object watch, changes are reported as they happen, objects
 * created after a failed read are reported too, and `retain` ends unused watches.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { realClock } from '../../src/client/index.js';
import type { ResourceTarget } from '../../src/client/index.js';
import { WatchingSourceResolver, clientSourceResolver, type VolumeSourceReference } from '../../src/kubelet/volumes/index.js';
import { connect, type ConnectedClient } from '../support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';
import { pollUntil } from '../support/poll.js';

const CONFIGMAPS: ResourceTarget = { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' };

let api: InProcessApi;
let connected: ConnectedClient;
let resolver: WatchingSourceResolver;
const changes: VolumeSourceReference[] = [];

before(async () => {
  api = await startInProcessApi();
  connected = connect(api);
  resolver = new WatchingSourceResolver({
    client: connected.client,
    fallback: clientSourceResolver(connected.client),
    clock: realClock,
    onChange: (reference) => changes.push(reference),
    onError: () => undefined,
  });
});

after(async () => {
  resolver.stop();
  connected.close();
  await api.stop();
});

test('a read returns the object and a later update is reported and read back', async () => {
  await connected.client.create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'a' } });
  assert.deepEqual((await resolver.getConfigMap('default', 'settings'))?.data, { mode: 'a' });
  await connected.client.patch(CONFIGMAPS, 'settings', 'merge', { data: { mode: 'b' } });
  await pollUntil('the update to be reported', async () => (changes.some((c) => c.name === 'settings')) || undefined);
  assert.deepEqual(changes.find((c) => c.name === 'settings'), { resource: 'configmaps', namespace: 'default', name: 'settings' });
  assert.deepEqual((await resolver.getConfigMap('default', 'settings'))?.data, { mode: 'b' });
});

test('a missing object reads as undefined and its creation is reported', async () => {
  assert.equal(await resolver.getSecret('default', 'later'), undefined);
  await connected.client.create({ ...CONFIGMAPS, resource: 'secrets' }, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'later' }, stringData: { k: 'v' } });
  await pollUntil('the creation to be reported', async () => (changes.some((c) => c.resource === 'secrets' && c.name === 'later')) || undefined);
  assert.equal((await resolver.getSecret('default', 'later'))?.data?.k, Buffer.from('v').toString('base64'));
});

test('retain ends the watches of objects no longer referenced', async () => {
  await connected.client.create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dropped' }, data: { x: '1' } });
  await resolver.getConfigMap('default', 'dropped');
  resolver.retain([{ resource: 'configmaps', namespace: 'default', name: 'settings' }]);
  const before = changes.length;
  await connected.client.patch(CONFIGMAPS, 'dropped', 'merge', { data: { x: '2' } });
  await connected.client.patch(CONFIGMAPS, 'settings', 'merge', { data: { mode: 'c' } });
  await pollUntil('the retained watch to report', async () => (changes.slice(before).some((c) => c.name === 'settings')) || undefined);
  assert.ok(!changes.slice(before).some((c) => c.name === 'dropped'), 'the dropped watch reports nothing');
});
