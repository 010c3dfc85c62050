/**
 * ResourceQuota end to end over an in-process API: the controller reports hard and
 * used (counts and compute), admission refuses creates beyond the quota with
 * upstream's messages and charges usage as it admits (a burst cannot overshoot),
 * deletions give usage back, and scopes pick the pods a quota covers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ConnectedClient } from '../../../test/support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';
import { pollUntil } from '../../../test/support/poll.js';
import { FakeClock } from '../../client/index.js';
import { ControllerManager } from '../manager.js';
import { resourceQuotaControllerDescriptor } from './resourceQuotaController.js';

const nsPath = (ns: string) => `/api/v1/namespaces/${ns}`;

const pod = (name: string, resources?: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox', ...(resources !== undefined ? { resources } : {}) }], ...extra },
});

const quota = (name: string, hard: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name },
  spec: { hard, ...extra },
});

describe('resource quota controller and admission', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  let manager: ControllerManager;
  const clock = new FakeClock(Date.now());

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const statusOf = async (ns: string, name: string): Promise<any> => (await api.request('GET', `${nsPath(ns)}/resourcequotas/${name}`)).body.status;
  const usedBecomes = (ns: string, name: string, used: Record<string, string>) =>
    pollUntil(`${name} used ${JSON.stringify(used)}`, async () => {
      const status = await statusOf(ns, name);
      return JSON.stringify(status?.used) === JSON.stringify(used) ? status : undefined;
    });
  const namespace = async (name: string) => {
    await api.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  };

  before(async () => {
    api = await startInProcessApi();
    connected = connect(api);
    manager = new ControllerManager({ client: connected.client, controllers: [resourceQuotaControllerDescriptor], clock, log: () => undefined });
    manager.start();
  });
  after(async () => {
    await manager.stop();
    connected.close();
    await api.stop();
  });

  test('the controller reports hard and used; the pod beyond the count is refused', async () => {
    await namespace('counts');
    await api.request('POST', `${nsPath('counts')}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before' } } });
    await api.request('POST', `${nsPath('counts')}/resourcequotas`, { body: quota('counts', { pods: '2', configmaps: '5', 'count/deployments.apps': '1' }) });
    const status = await usedBecomes('counts', 'counts', { configmaps: '1', 'count/deployments.apps': '0', pods: '0' });
    assert.deepEqual(status.hard, { configmaps: '5', 'count/deployments.apps': '1', pods: '2' });
    for (const name of ['a', 'b']) assert.equal((await api.request('POST', `${nsPath('counts')}/pods`, { body: pod(name) })).status, 201);
    const third = await api.request('POST', `${nsPath('counts')}/pods`, { body: pod('c') });
    assert.equal(third.status, 403);
    assert.equal(third.body.message, 'pods "c" is forbidden: exceeded quota: counts, requested: pods=1, used: pods=2, limited: pods=2');
    assert.equal((await statusOf('counts', 'counts')).used.pods, '2');
    await api.request('DELETE', `${nsPath('counts')}/pods/a`);
    await usedBecomes('counts', 'counts', { configmaps: '1', 'count/deployments.apps': '0', pods: '1' });
    assert.equal((await api.request('POST', `${nsPath('counts')}/pods`, { body: pod('c') })).status, 201);
  });

  test('a burst of creates cannot overshoot the quota', async () => {
    await namespace('burst');
    await api.request('POST', `${nsPath('burst')}/resourcequotas`, { body: quota('burst', { 'count/configmaps': '3' }) });
    await usedBecomes('burst', 'burst', { 'count/configmaps': '0' });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api.request('POST', `${nsPath('burst')}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` } } })),
    );
    assert.equal(results.filter((r) => r.status === 201).length, 3);
    assert.equal(results.filter((r) => r.status === 403).length, 5);
  });

  test('compute quotas require requests and limits, and count them', async () => {
    await namespace('compute');
    await api.request('POST', `${nsPath('compute')}/resourcequotas`, { body: quota('compute', { 'requests.cpu': '1', 'limits.memory': '1Gi' }) });
    await usedBecomes('compute', 'compute', { 'limits.memory': '0', 'requests.cpu': '0' });
    const bare = await api.request('POST', `${nsPath('compute')}/pods`, { body: pod('bare') });
    assert.equal(bare.status, 403);
    assert.equal(bare.body.message, 'pods "bare" is forbidden: failed quota: compute: must specify limits.memory for: c; requests.cpu for: c');
    const sized = { requests: { cpu: '600m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } };
    assert.equal((await api.request('POST', `${nsPath('compute')}/pods`, { body: pod('one', sized) })).status, 201);
    const two = await api.request('POST', `${nsPath('compute')}/pods`, { body: pod('two', sized) });
    assert.equal(two.status, 403);
    assert.equal(two.body.message, 'pods "two" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1');
    await usedBecomes('compute', 'compute', { 'limits.memory': '512Mi', 'requests.cpu': '600m' });
    // A finished pod no longer uses compute quota.
    await api.request('PATCH', `${nsPath('compute')}/pods/one/status`, { body: { status: { phase: 'Succeeded' } }, contentType: 'application/merge-patch+json' });
    await usedBecomes('compute', 'compute', { 'limits.memory': '0', 'requests.cpu': '0' });
  });

  test('scoped quotas cover only the pods their scopes select', async () => {
    await namespace('scoped');
    await api.request('POST', `${nsPath('scoped')}/resourcequotas`, { body: quota('best-effort', { pods: '1' }, { scopes: ['BestEffort'] }) });
    await api.request('POST', `${nsPath('scoped')}/resourcequotas`, {
      body: quota('critical', { pods: '5' }, { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['system-cluster-critical'] }] } }),
    });
    await usedBecomes('scoped', 'best-effort', { pods: '0' });
    await usedBecomes('scoped', 'critical', { pods: '0' });
    assert.equal((await api.request('POST', `${nsPath('scoped')}/pods`, { body: pod('be1') })).status, 201);
    const second = await api.request('POST', `${nsPath('scoped')}/pods`, { body: pod('be2') });
    assert.match(second.body.message, /exceeded quota: best-effort/);
    const burstable = await api.request('POST', `${nsPath('scoped')}/pods`, { body: pod('sized', { requests: { cpu: '10m' } }) });
    assert.equal(burstable.status, 201);
    const critical = await api.request('POST', `${nsPath('scoped')}/pods`, { body: pod('crit', { requests: { cpu: '10m' } }, { priorityClassName: 'system-cluster-critical' }) });
    assert.equal(critical.status, 201);
    await usedBecomes('scoped', 'critical', { pods: '1' });
    assert.equal((await statusOf('scoped', 'best-effort')).used.pods, '1');
  });
});
