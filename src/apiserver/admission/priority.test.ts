/**
 * Priority admission through the API: the system classes exist from the start, pods
 * get their class's priority (or the global default's, or 0), unknown classes and
 * disagreeing priorities are refused with upstream's messages, and only one class may
 * be the global default.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';

const PODS = '/api/v1/namespaces/default/pods';
const CLASSES = '/apis/scheduling.k8s.io/v1/priorityclasses';

const pod = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
});

const priorityClass = (name: string, value: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'scheduling.k8s.io/v1',
  kind: 'PriorityClass',
  metadata: { name },
  value,
  ...extra,
});

describe('Priority admission', () => {
  let api: InProcessApi;
  before(async () => {
    api = await startInProcessApi();
  });
  after(() => api.stop());

  test('the system priority classes exist from the start', async () => {
    const cluster = (await api.request('GET', `${CLASSES}/system-cluster-critical`)).body;
    assert.equal(cluster.value, 2000000000);
    assert.equal(cluster.preemptionPolicy, 'PreemptLowerPriority');
    assert.equal((await api.request('GET', `${CLASSES}/system-node-critical`)).body.value, 2000001000);
  });

  test('a pod gets the priority of its class, or 0 without one', async () => {
    const critical = await api.request('POST', PODS, { body: pod('critical', { priorityClassName: 'system-cluster-critical' }) });
    assert.equal(critical.status, 201);
    assert.equal(critical.body.spec.priority, 2000000000);
    assert.equal(critical.body.spec.preemptionPolicy, 'PreemptLowerPriority');
    const plain = await api.request('POST', PODS, { body: pod('plain') });
    assert.equal(plain.body.spec.priority, 0);
    assert.equal(plain.body.spec.priorityClassName, undefined);
  });

  test('an unknown class or a disagreeing priority is refused', async () => {
    const unknown = await api.request('POST', PODS, { body: pod('x', { priorityClassName: 'foo' }) });
    assert.equal(unknown.status, 403);
    assert.equal(unknown.body.message, 'pods "x" is forbidden: no PriorityClass with name foo was found');
    const wrong = await api.request('POST', PODS, { body: pod('y', { priorityClassName: 'system-node-critical', priority: 5 }) });
    assert.equal(wrong.status, 403);
    assert.equal(
      wrong.body.message,
      'pods "y" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 2000001000 from the given PriorityClass name',
    );
    const same = await api.request('POST', PODS, { body: pod('z', { priorityClassName: 'system-node-critical', priority: 2000001000 }) });
    assert.equal(same.status, 201);
  });

  test('the global default class names the pods without one; a second default is refused', async () => {
    assert.equal((await api.request('POST', CLASSES, { body: priorityClass('low', 100, { globalDefault: true, preemptionPolicy: 'Never' }) })).status, 201);
    const second = await api.request('POST', CLASSES, { body: priorityClass('other', 200, { globalDefault: true }) });
    assert.equal(second.status, 403);
    assert.equal(second.body.message, 'priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass low is already marked as default. Only one default can exist');
    const defaulted = (await api.request('POST', PODS, { body: pod('defaulted') })).body;
    assert.equal(defaulted.spec.priorityClassName, 'low');
    assert.equal(defaulted.spec.priority, 100);
    assert.equal(defaulted.spec.preemptionPolicy, 'Never');
    assert.equal((await api.request('POST', CLASSES, { body: priorityClass('plain', 300) })).status, 201);
    const promoted = await api.request('PATCH', `${CLASSES}/plain`, { body: { globalDefault: true }, contentType: 'application/merge-patch+json' });
    assert.equal(promoted.status, 403);
    assert.match(promoted.body.message, /PriorityClass low is already marked as default/);
    const relabelled = await api.request('PATCH', `${CLASSES}/low`, { body: { description: 'the default' }, contentType: 'application/merge-patch+json' });
    assert.equal(relabelled.status, 200);
    await api.request('DELETE', `${CLASSES}/low`);
  });
});
