/**
 * The default spreading selector from real informers over an in-process API: the
 * Services selecting a pod and its ReplicaSet owner's selector, ANDed; nothing for a
 * pod no Service or owner selects.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { connect, type ConnectedClient } from '../../test/support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/inProcessApi.js';
import { InformerFactory } from '../client/index.js';
import { DefaultSpreadSelector } from './defaultSpreadSelector.js';

describe('DefaultSpreadSelector', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  const abort = new AbortController();
  let informers: InformerFactory;
  let spread: DefaultSpreadSelector;
  let rsUid = '';

  before(async () => {
    api = await startInProcessApi();
    connected = connect(api);
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
    assert.equal((await api.request('POST', '/api/v1/namespaces/default/services', { body: service })).status, 201);
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-1' },
      spec: { selector: { matchLabels: { app: 'web', hash: '1' } }, template: { metadata: { labels: { app: 'web', hash: '1' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    };
    const created = await api.request('POST', '/apis/apps/v1/namespaces/default/replicasets', { body: rs });
    assert.equal(created.status, 201);
    rsUid = created.body.metadata.uid;
    informers = new InformerFactory(connected.client);
    spread = new DefaultSpreadSelector(informers);
    informers.start(abort.signal);
    assert.ok(await informers.waitForCacheSync(abort.signal));
  });
  after(async () => {
    abort.abort();
    await informers.stopped();
    connected.close();
    await api.stop();
  });

  const pod = (labels: Record<string, string>, ownerUid?: string): Pod => ({
    metadata: {
      name: 'p',
      namespace: 'default',
      labels,
      ...(ownerUid !== undefined ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: ownerUid, controller: true }] } : {}),
    },
  });

  test('the Services selecting the pod and its ReplicaSet owner, ANDed', () => {
    assert.equal(spread.selectorFor(pod({ app: 'web', hash: '1' }, rsUid)).toString(), 'app=web,app=web,hash=1');
  });

  test('a Service alone, or an owner whose uid does not match, gives the Service selector', () => {
    assert.equal(spread.selectorFor(pod({ app: 'web' })).toString(), 'app=web');
    assert.equal(spread.selectorFor(pod({ app: 'web' }, 'other-uid')).toString(), 'app=web');
  });

  test('a pod nothing selects gets the empty selector (no default spreading)', () => {
    assert.ok(spread.selectorFor(pod({ app: 'db' })).isEmpty());
  });
});
