/**
 * core/v1 and events.k8s.io/v1 Events are one stored type served in two shapes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';

const CORE = '/api/v1/namespaces/default/events';
const V1 = '/apis/events.k8s.io/v1/namespaces/default/events';

describe('events in two API groups', () => {
  let api: InProcessApi;
  before(async () => {
    api = await startInProcessApi();
  });
  after(() => api.stop());

  test('an events.k8s.io/v1 Event is a core/v1 Event with message, involvedObject and source', async () => {
    const event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'web.1' },
      eventTime: '2026-01-01T00:00:00.000000Z',
      regarding: { kind: 'Pod', namespace: 'default', name: 'web' },
      note: 'Started container',
      reason: 'Started',
      type: 'Normal',
      action: 'Start',
      reportingController: 'k8ts/kubelet',
      reportingInstance: 'node-a',
    };
    const created = await api.request('POST', V1, { body: event });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.apiVersion, 'events.k8s.io/v1');
    assert.equal(created.body.note, 'Started container');
    assert.equal(created.body.regarding.name, 'web');

    const core = await api.request('GET', `${CORE}/web.1`);
    assert.equal(core.body.apiVersion, 'v1');
    assert.equal(core.body.message, 'Started container');
    assert.equal(core.body.involvedObject.name, 'web');
    assert.equal(core.body.reportingComponent, 'k8ts/kubelet');
    assert.equal(core.body.note, undefined);

    const selected = await api.request('GET', `${CORE}?fieldSelector=involvedObject.name%3Dweb`);
    assert.deepEqual(selected.body.items.map((e: { metadata: { name: string } }) => e.metadata.name), ['web.1']);
  });

  test('a core/v1 Event is listed by events.k8s.io/v1 with note and regarding, and patches there land in core', async () => {
    const core = {
      metadata: { name: 'db.1' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'db' },
      message: 'Pulled image',
      reason: 'Pulled',
      type: 'Normal',
      source: { component: 'kubelet' },
      count: 1,
    };
    assert.equal((await api.request('POST', CORE, { body: core })).status, 201);
    const listed = await api.request('GET', V1);
    assert.equal(listed.body.kind, 'EventList');
    const item = listed.body.items.find((e: { metadata: { name: string } }) => e.metadata.name === 'db.1');
    assert.equal(item.apiVersion, 'events.k8s.io/v1');
    assert.equal(item.note, 'Pulled image');
    assert.equal(item.deprecatedCount, 1);
    assert.deepEqual(item.deprecatedSource, { component: 'kubelet' });

    const patched = await api.request('PATCH', `${V1}/db.1`, { body: { deprecatedCount: 2 }, contentType: 'application/merge-patch+json' });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.deprecatedCount, 2);
    assert.equal((await api.request('GET', `${CORE}/db.1`)).body.count, 2);
  });
});
