/**
 * PodDisruptionBudgets over an in-process API with the disruption controller on a fake
 * clock: the status the controller reports (numbers and percentages, the pods'
 * controllers' scale, the DisruptionAllowed condition, SyncFailed), and the eviction
 * subresource spending and refusing disruptions as upstream's does.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ConnectedClient } from '../../../test/support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';
import { pollUntil } from '../../../test/support/poll.js';
import { FakeClock } from '../../client/index.js';
import { ControllerManager } from '../manager.js';
import { disruptionControllerDescriptor } from './disruptionController.js';

const ns = (name: string) => `/api/v1/namespaces/${name}`;
const pdbPath = (namespace: string) => `/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets`;
const merge = 'application/merge-patch+json';

describe('disruption controller and pods/eviction', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  let manager: ControllerManager;
  const clock = new FakeClock(Date.now());

  /** A ReplicaSet object (no controller runs it) and `count` Ready pods it controls. */
  const workload = async (namespace: string, app: string, count: number, replicas = count) => {
    await api.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } });
    const rs = (
      await api.request('POST', `/apis/apps/v1/namespaces/${namespace}/replicasets`, {
        body: {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: { name: app },
          spec: { replicas, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
        },
      })
    ).body;
    for (let i = 0; i < count; i++) {
      const name = `${app}-${i}`;
      const ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: app, uid: rs.metadata.uid, controller: true }];
      const created = await api.request('POST', `${ns(namespace)}/pods`, {
        body: { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app }, ownerReferences }, spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'busybox' }] } },
      });
      assert.equal(created.status, 201, created.text);
      await setReady(namespace, name, true);
    }
  };
  const setReady = (namespace: string, name: string, ready: boolean) =>
    api.request('PATCH', `${ns(namespace)}/pods/${name}/status`, {
      body: { status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } },
      contentType: merge,
    });
  const budget = (namespace: string, name: string, spec: Record<string, unknown>) =>
    api.request('POST', pdbPath(namespace), { body: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec } });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const statusWhen = (namespace: string, name: string, ok: (status: any) => boolean) =>
    pollUntil(`${name} status`, async () => {
      const status = (await api.request('GET', `${pdbPath(namespace)}/${name}`)).body.status;
      return status !== undefined && ok(status) ? status : undefined;
    });
  const evict = (namespace: string, pod: string, deleteOptions?: Record<string, unknown>) =>
    api.request('POST', `${ns(namespace)}/pods/${pod}/eviction`, {
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace }, ...(deleteOptions !== undefined ? { deleteOptions } : {}) },
    });

  before(async () => {
    api = await startInProcessApi();
    connected = connect(api);
    manager = new ControllerManager({ client: connected.client, controllers: [disruptionControllerDescriptor], clock, log: () => undefined });
    manager.start();
  });
  after(async () => {
    await manager.stop();
    connected.close();
    await api.stop();
  });

  test('minAvailable: status, one eviction spent, the next refused with 429', async () => {
    await workload('min', 'web', 3);
    await budget('min', 'web', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } });
    const status = await statusWhen('min', 'web', (s) => s.currentHealthy === 3);
    assert.deepEqual(
      { ...status, conditions: undefined },
      { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1, observedGeneration: 1, conditions: undefined },
    );
    assert.deepEqual(
      status.conditions.map((c: Record<string, unknown>) => [c.type, c.status, c.reason, c.observedGeneration]),
      [['DisruptionAllowed', 'True', 'SufficientPods', 1]],
    );

    const first = await evict('min', 'web-0');
    assert.equal(first.status, 201, first.text);
    const evicted = (await api.request('GET', `${ns('min')}/pods/web-0`)).body;
    assert.ok(evicted.metadata.deletionTimestamp !== undefined);
    const target = evicted.status.conditions.find((c: { type: string }) => c.type === 'DisruptionTarget');
    assert.deepEqual([target.status, target.reason, target.message], ['True', 'EvictionByEvictionAPI', 'Eviction API: evicting']);

    const after = await statusWhen('min', 'web', (s) => s.currentHealthy === 2 && s.disruptedPods === undefined);
    assert.equal(after.disruptionsAllowed, 0);
    assert.equal(after.conditions[0].reason, 'InsufficientPods');
    const refused = await evict('min', 'web-1');
    assert.equal(refused.status, 429);
    assert.equal(refused.body.reason, 'TooManyRequests');
    assert.equal(refused.body.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    assert.deepEqual(refused.body.details.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 2 currently' }]);
  });

  test('maxUnavailable as a percentage of the controller scale', async () => {
    await workload('pct', 'api', 3, 4);
    await budget('pct', 'api', { maxUnavailable: '50%', selector: { matchLabels: { app: 'api' } } });
    const status = await statusWhen('pct', 'api', (s) => s.expectedPods === 4);
    assert.equal(status.desiredHealthy, 2);
    assert.equal(status.currentHealthy, 3);
    assert.equal(status.disruptionsAllowed, 1);
    await budget('pct', 'lone', { minAvailable: '50%', selector: { matchLabels: { app: 'lone' } } });
    await api.request('POST', `${ns('pct')}/pods`, {
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'orphaned', labels: { app: 'lone' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone', uid: 'no-such-uid', controller: true }] },
        spec: { containers: [{ name: 'c', image: 'busybox' }] },
      },
    });
    const failed = await statusWhen('pct', 'lone', (s) => s.conditions?.[0]?.reason === 'SyncFailed');
    assert.equal(failed.disruptionsAllowed, 0);
    assert.equal(failed.conditions[0].message, 'found no controllers for pod "orphaned"');
    const reasons = await pollUntil('events of lone', async () => {
      const events = (await api.request('GET', `${ns('pct')}/events?fieldSelector=involvedObject.name%3Dlone`)).body.items as { reason: string; message: string }[];
      return events.some((e) => e.reason === 'CalculateExpectedPodCountFailed') ? events : undefined;
    });
    assert.ok(reasons.some((e) => e.message === 'Failed to calculate the number of expected pods: found no controllers for pod "orphaned"'));
  });

  test('approved evictions are remembered until their pod deletes, or for two minutes', async () => {
    await workload('wait', 'db', 3);
    await budget('wait', 'db', { minAvailable: 1, selector: { matchLabels: { app: 'db' } } });
    await statusWhen('wait', 'db', (s) => s.disruptionsAllowed === 2);
    const stamp = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const current = (await api.request('GET', `${pdbPath('wait')}/db`)).body;
    current.status.disruptedPods = { 'db-2': stamp };
    assert.equal((await api.request('PUT', `${pdbPath('wait')}/db/status`, { body: current })).status, 200);
    const pending = await statusWhen('wait', 'db', (s) => s.currentHealthy === 2);
    assert.deepEqual(pending.disruptedPods, { 'db-2': stamp });
    assert.equal(pending.disruptionsAllowed, 1);
    await clock.advance(2 * 60 * 1000 + 2000);
    const expired = await statusWhen('wait', 'db', (s) => s.currentHealthy === 3);
    assert.equal(expired.disruptedPods, undefined);
  });

  test('unready, pending and doubly-budgeted pods', async () => {
    await workload('edge', 'job', 2);
    await budget('edge', 'strict', { minAvailable: 2, selector: { matchLabels: { app: 'job' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    await statusWhen('edge', 'strict', (s) => s.currentHealthy === 2);
    await setReady('edge', 'job-1', false);
    await statusWhen('edge', 'strict', (s) => s.currentHealthy === 1);
    assert.equal((await evict('edge', 'job-0')).status, 429);
    assert.equal((await evict('edge', 'job-1')).status, 201, 'an unready pod may go under AlwaysAllow');

    await api.request('POST', `${ns('edge')}/pods`, { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', labels: { app: 'job' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
    assert.equal((await evict('edge', 'pending')).status, 201, 'a pending pod is evicted without budget checks');
    assert.equal((await api.request('GET', `${ns('edge')}/pods/pending`)).status, 404);

    await budget('edge', 'second', { maxUnavailable: 1, selector: { matchLabels: { app: 'job' } } });
    const twice = await evict('edge', 'job-0');
    assert.equal(twice.status, 500);
    assert.equal(twice.body.message, 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  });

  test('a DisruptionTarget condition whose pod is not deleted within two minutes is set back to False', async () => {
    await workload('stale', 'cache', 1);
    const stamp = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    await api.request('PATCH', `${ns('stale')}/pods/cache-0/status`, {
      body: { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastTransitionTime: stamp }] } },
      contentType: merge,
    });
    await clock.advance(2 * 60 * 1000 + 1000);
    const condition = await pollUntil('condition cleared', async () => {
      const conditions = (await api.request('GET', `${ns('stale')}/pods/cache-0`)).body.status.conditions as { type: string; status: string; reason?: string }[];
      const target = conditions.find((c) => c.type === 'DisruptionTarget');
      return target?.status === 'False' ? target : undefined;
    });
    assert.equal(condition.reason, undefined);
  });
});
