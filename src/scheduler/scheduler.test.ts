/**
 * The scheduler against a real API server (in process, memory store) with Node
 * objects the test creates: pods get bound with the Scheduled event, an unschedulable
 * pod gets the PodScheduled=False condition and the FailedScheduling event with
 * upstream's summary, and a node added later makes a pending pod schedulable.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ConnectedClient } from '../../test/support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/inProcessApi.js';
import { pollUntil } from '../../test/support/poll.js';
import { Scheduler } from './scheduler.js';

const PODS = '/api/v1/namespaces/default/pods';

const node = (name: string, cpu: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  spec: { ...extra },
  status: { allocatable: { cpu, memory: '8Gi', pods: '110' }, capacity: { cpu, memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
});

const pod = (name: string, cpu: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu } } }], ...extra },
});

describe('scheduler over an in-process API', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  let scheduler: Scheduler;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const getPod = async (name: string): Promise<any> => (await api.request('GET', `${PODS}/${name}`)).body;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const eventsOf = async (name: string): Promise<any[]> =>
    (await api.request('GET', `/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D${name}`)).body.items;
  const addNode = async (body: ReturnType<typeof node>) => {
    const res = await api.request('POST', '/api/v1/nodes', { body });
    assert.equal(res.status, 201, res.text);
    await api.request('PATCH', `/api/v1/nodes/${body.metadata.name}/status`, { body: { status: body.status }, contentType: 'application/merge-patch+json' });
  };
  const boundNode = (name: string) =>
    pollUntil(`${name} bound`, async () => {
      const p = await getPod(name);
      return p.spec.nodeName || undefined;
    });

  before(async () => {
    api = await startInProcessApi();
    connected = connect(api);
    await addNode(node('small', '1'));
    await addNode(node('big', '4'));
    await addNode(node('cordoned', '64', { unschedulable: true }));
    scheduler = new Scheduler({ client: connected.client, log: () => undefined });
    scheduler.start();
  });
  after(async () => {
    await scheduler.stop();
    connected.close();
    await api.stop();
  });

  test('a pod gets bound to a node that fits, with PodScheduled=True and a Scheduled event', async () => {
    await api.request('POST', PODS, { body: pod('fits', '2') });
    assert.equal(await boundNode('fits'), 'big');
    const p = await getPod('fits');
    assert.equal(p.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled').status, 'True');
    const event = await pollUntil('Scheduled event', async () => (await eventsOf('fits')).find((e) => e.reason === 'Scheduled'));
    assert.equal(event.message, 'Successfully assigned default/fits to big');
    assert.equal(event.type, 'Normal');
    assert.equal(event.source.component, 'default-scheduler');
  });

  test('a pod of another scheduler is left alone', async () => {
    await api.request('POST', PODS, { body: pod('other', '100m', { schedulerName: 'my-scheduler' }) });
    await api.request('POST', PODS, { body: pod('after-other', '100m') });
    await boundNode('after-other');
    assert.equal((await getPod('other')).spec.nodeName, undefined);
  });

  test('an unschedulable pod gets the condition and FailedScheduling event with the upstream summary', async () => {
    await api.request('POST', PODS, { body: pod('huge', '1000') });
    const expected =
      '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
    const condition = await pollUntil('PodScheduled=False', async () => {
      const p = await getPod('huge');
      return p.status?.conditions?.find((c: { type: string }) => c.type === 'PodScheduled');
    });
    assert.equal(condition.status, 'False');
    assert.equal(condition.reason, 'Unschedulable');
    assert.equal(condition.message, expected);
    const event = await pollUntil('FailedScheduling event', async () => (await eventsOf('huge')).find((e) => e.reason === 'FailedScheduling'));
    assert.equal(event.type, 'Warning');
    assert.equal(event.message, condition.message);
  });

  test('a node added later makes a pending pod schedulable', async () => {
    await api.request('POST', PODS, { body: pod('waits', '6') });
    await pollUntil('waits rejected', async () => (await eventsOf('waits')).find((e) => e.reason === 'FailedScheduling'));
    await addNode(node('bigger', '8'));
    assert.equal(await boundNode('waits'), 'bigger');
  });

  test('an untolerated taint is named in the summary', async () => {
    await addNode(node('tainted', '64', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }));
    await api.request('POST', PODS, { body: pod('greedy', '40') });
    const event = await pollUntil('FailedScheduling event', async () => (await eventsOf('greedy')).find((e) => e.reason === 'FailedScheduling'));
    assert.ok(event.message.startsWith('0/5 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable, 3 Insufficient cpu.'), event.message);
  });

  test('a pod of higher priority preempts lower-priority pods and is bound once they are gone', async () => {
    // Only 'solo' has 2.5 cpu free once a pod goes, and its pods are the least important (priority -10 < 0).
    await addNode(node('solo', '5', { taints: [{ key: 'solo', effect: 'NoSchedule' }] }));
    const toleration = { tolerations: [{ key: 'solo', operator: 'Exists' }] };
    for (const [name, value, preemptionPolicy] of [['low', -10], ['medium-never', 500, 'Never'], ['high', 1000]] as const) {
      const body = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...(preemptionPolicy !== undefined ? { preemptionPolicy } : {}) };
      const created = await api.request('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', { body });
      assert.equal(created.status, 201, created.text);
    }
    for (const name of ['low-a', 'low-b']) {
      await api.request('POST', PODS, { body: pod(name, '2', { ...toleration, priorityClassName: 'low', nodeName: 'solo' }) });
    }
    await api.request('POST', PODS, { body: pod('never', '4', { ...toleration, priorityClassName: 'medium-never' }) });
    const never = await pollUntil('never rejected', async () => (await eventsOf('never')).find((e) => e.reason === 'FailedScheduling'));
    assert.match(never.message, / not eligible due to preemptionPolicy=Never\.$/);
    await api.request('POST', PODS, { body: pod('vip', '2500m', { ...toleration, priorityClassName: 'high' }) });
    const victim = await pollUntil('a victim marked DisruptionTarget', async () => {
      for (const name of ['low-a', 'low-b']) {
        const p = await getPod(name);
        const target = p.status?.conditions?.find((c: { type: string }) => c.type === 'DisruptionTarget');
        if (target !== undefined && p.metadata.deletionTimestamp !== undefined) return { name, target };
      }
      return undefined;
    });
    assert.equal(victim.target.reason, 'PreemptionByScheduler');
    assert.equal(victim.target.message, 'default-scheduler: preempting to accommodate a higher priority pod');
    const vip = await getPod('vip');
    assert.equal(vip.status.nominatedNodeName, 'solo');
    const preempted = await pollUntil('Preempted event', async () => (await eventsOf(victim.name)).find((e) => e.reason === 'Preempted'));
    assert.equal(preempted.message, `Preempted by pod ${vip.metadata.uid} on node solo`);
    const survivor = victim.name === 'low-a' ? 'low-b' : 'low-a';
    assert.equal((await getPod(survivor)).metadata.deletionTimestamp, undefined, 'one victim is enough');
    await api.request('DELETE', `${PODS}/${victim.name}`, { body: { gracePeriodSeconds: 0 } });
    assert.equal(await boundNode('vip'), 'solo');
  });

  test('a binding through the bindings collection assigns the pod; a second one is a Conflict', async () => {
    await api.request('POST', PODS, { body: pod('manual', '100m', { schedulerName: 'nobody' }) });
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'manual' }, target: { kind: 'Node', name: 'small' } };
    const first = await api.request('POST', '/api/v1/namespaces/default/bindings', { body: binding });
    assert.equal(first.status, 201, first.text);
    assert.equal((await getPod('manual')).spec.nodeName, 'small');
    const second = await api.request('POST', '/api/v1/namespaces/default/bindings', { body: { ...binding, target: { name: 'big' } } });
    assert.equal(second.status, 409);
    assert.equal(second.body.message, 'Operation cannot be fulfilled on pods/binding "manual": pod manual is already assigned to node "small"');
  });
});

describe('scheduler: namespaceSelector of pod (anti-)affinity', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  let scheduler: Scheduler;

  before(async () => {
    api = await startInProcessApi();
    connected = connect(api);
    for (const name of ['n1', 'n2']) {
      const body = node(name, '4');
      await api.request('POST', '/api/v1/nodes', { body });
      await api.request('PATCH', `/api/v1/nodes/${name}/status`, { body: { status: body.status }, contentType: 'application/merge-patch+json' });
    }
    await api.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'blue', labels: { team: 'blue' } } } });
    const db = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', labels: { app: 'db' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } };
    assert.equal((await api.request('POST', '/api/v1/namespaces/blue/pods', { body: db })).status, 201);
    scheduler = new Scheduler({ client: connected.client, log: () => undefined });
    scheduler.start();
  });
  after(async () => {
    await scheduler.stop();
    connected.close();
    await api.stop();
  });

  test('required anti-affinity to pods of namespaces labelled team=blue keeps the pod off their node', async () => {
    const term = { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname', namespaceSelector: { matchLabels: { team: 'blue' } } };
    await api.request('POST', PODS, { body: pod('away', '100m', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } }) });
    await api.request('POST', PODS, { body: pod('near', '100m', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } }) });
    const boundTo = (name: string) => pollUntil(`${name} bound`, async () => (await api.request('GET', `${PODS}/${name}`)).body.spec.nodeName || undefined);
    assert.equal(await boundTo('away'), 'n2');
    assert.equal(await boundTo('near'), 'n1');
  });
});
