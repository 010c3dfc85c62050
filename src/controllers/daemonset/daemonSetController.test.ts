/**
 * The DaemonSet controller against a real API server (in process, memory store), on a
 * fake clock, over Node objects the tests create (several nodes, one tainted, one not
 * matching the selector); the tests play the kubelet by setting pod status. Which nodes
 * get a pod, what the pods look like, reactions to nodes joining, relabelled, tainted
 * and removed, status counts, and rolling updates with maxUnavailable and maxSurge.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ConnectedClient } from '../../../test/support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';
import { pollUntil } from '../../../test/support/poll.js';
import { FakeClock } from '../../client/index.js';
import { ControllerManager } from '../manager.js';
import { daemonSetControllerDescriptor } from './daemonSetController.js';

const NS = '/api/v1/namespaces/default';
const DS_PATH = '/apis/apps/v1/namespaces/default/daemonsets';
const MERGE = 'application/merge-patch+json';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const node = (name: string, labels: Record<string, string>, taints: Json[] = []) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { taints } });

const daemonSet = (name: string, spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox:1' }], ...podSpec } },
    ...spec,
  },
});

const targetOf = (pod: Json): string => pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0];

describe('daemonset controller', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  let manager: ControllerManager;
  const clock = new FakeClock(Date.now());

  const get = async (path: string): Promise<Json> => (await api.request('GET', path)).body;
  const patch = (path: string, body: unknown) => api.request('PATCH', path, { body, contentType: MERGE });
  const podsOf = async (app: string): Promise<Json[]> =>
    ((await get(`${NS}/pods?labelSelector=app%3D${app}`)).items as Json[]).filter((p) => p.metadata.deletionTimestamp === undefined);
  /** Waits until the app's pods are for exactly `nodes` (one each) and returns them by node. */
  const podsOnNodes = (app: string, nodes: string[]) =>
    pollUntil(`${app} pods on ${nodes.join(',')}`, async () => {
      const pods = await podsOf(app);
      const targets = pods.map(targetOf).sort();
      return JSON.stringify(targets) === JSON.stringify([...nodes].sort()) ? new Map(pods.map((p) => [targetOf(p), p])) : undefined;
    });
  const makeReady = (name: string) =>
    api.request('PATCH', `${NS}/pods/${name}/status`, {
      body: { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(clock.now() - 1000).toISOString().replace(/\.\d+Z$/, 'Z') }] } },
      contentType: MERGE,
    });
  const statusWhere = (name: string, what: string, check: (s: Json) => boolean) =>
    pollUntil(what, async () => {
      const s = (await get(`${DS_PATH}/${name}`)).status;
      return s !== undefined && check(s) ? s : undefined;
    });

  before(async () => {
    api = await startInProcessApi();
    connected = connect(api);
    for (const body of [
      node('n1', { role: 'worker' }),
      node('n2', { role: 'worker' }, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]),
      node('n3', { role: 'db' }),
    ]) {
      assert.equal((await api.request('POST', '/api/v1/nodes', { body })).status, 201);
    }
    manager = new ControllerManager({ client: connected.client, controllers: [daemonSetControllerDescriptor], clock, log: () => undefined });
    manager.start();
  });
  after(async () => {
    await manager.stop();
    connected.close();
    await api.stop();
  });

  test('one pod per eligible node, pinned by node affinity, with the default tolerations; nodes joining, relabelled, tainted and removed', async () => {
    const ds = (await api.request('POST', DS_PATH, { body: daemonSet('agent', {}, { nodeSelector: { role: 'worker' } }) })).body;
    const pods = await podsOnNodes('agent', ['n1']);
    const pod = pods.get('n1');
    assert.equal(pod.spec.nodeName, undefined, 'the scheduler binds daemon pods');
    assert.match(pod.metadata.name, /^agent-[a-z0-9]{5}$/);
    assert.deepEqual(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] });
    assert.deepEqual(
      pod.spec.tolerations.map((t: Json) => `${t.key}:${t.operator}:${t.effect}`),
      ['not-ready:Exists:NoExecute', 'unreachable:Exists:NoExecute', 'disk-pressure:Exists:NoSchedule', 'memory-pressure:Exists:NoSchedule', 'pid-pressure:Exists:NoSchedule', 'unschedulable:Exists:NoSchedule'].map((t) => `node.kubernetes.io/${t}`),
    );
    assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const revisions = ((await get('/apis/apps/v1/namespaces/default/controllerrevisions')).items as Json[]).filter((r) => r.metadata.name.startsWith('agent-'));
    assert.equal(revisions.length, 1);
    assert.equal(revisions[0].metadata.name, `agent-${pod.metadata.labels['controller-revision-hash']}`);
    await makeReady(pod.metadata.name);
    const status = await statusWhere('agent', 'one ready', (s) => s.numberReady === 1);
    assert.deepEqual(
      [status.desiredNumberScheduled, status.currentNumberScheduled, status.numberMisscheduled, status.updatedNumberScheduled, status.numberAvailable, status.numberUnavailable ?? 0, status.observedGeneration],
      [1, 1, 0, 1, 1, 0, 1],
    );
    const events = (await get(`${NS}/events`)).items as Json[];
    assert.ok(events.some((e) => e.reason === 'SuccessfulCreate' && e.message === `Created pod: ${pod.metadata.name}` && e.involvedObject.kind === 'DaemonSet'));

    await api.request('POST', '/api/v1/nodes', { body: node('n4', { role: 'worker' }) });
    await podsOnNodes('agent', ['n1', 'n4']);
    await patch('/api/v1/nodes/n3', { metadata: { labels: { role: 'worker' } } });
    await podsOnNodes('agent', ['n1', 'n3', 'n4']);
    await statusWhere('agent', 'three desired', (s) => s.desiredNumberScheduled === 3 && s.numberUnavailable === 2);

    await patch('/api/v1/nodes/n1', { spec: { taints: [{ key: 'maintenance', effect: 'NoExecute' }] } });
    await podsOnNodes('agent', ['n3', 'n4']);
    await api.request('DELETE', '/api/v1/nodes/n4');
    await podsOnNodes('agent', ['n3']);
    await statusWhere('agent', 'n1 and n4 gone', (s) => s.desiredNumberScheduled === 1 && s.currentNumberScheduled === 1);
    await patch('/api/v1/nodes/n1', { spec: { taints: null } });
    await podsOnNodes('agent', ['n1', 'n3']);
    // A NoSchedule taint keeps new pods off a node but lets the running one stay.
    await patch('/api/v1/nodes/n1', { spec: { taints: [{ key: 'maintenance', effect: 'NoSchedule' }] } });
    await statusWhere('agent', 'n1 misscheduled', (s) => s.numberMisscheduled === 1 && s.desiredNumberScheduled === 1);
    assert.ok((await podsOf('agent')).some((p) => targetOf(p) === 'n1'));
    await patch('/api/v1/nodes/n1', { spec: { taints: null } });
    await patch('/api/v1/nodes/n3', { metadata: { labels: { role: 'db' } } });
    await podsOnNodes('agent', ['n1']);
  });

  test('a toleration lets pods onto a tainted node; a rolling update replaces one unavailable pod at a time', async () => {
    await api.request('POST', DS_PATH, { body: daemonSet('roll', {}, { tolerations: [{ key: 'dedicated', operator: 'Exists' }], nodeSelector: { role: 'worker' } }) });
    const first = await podsOnNodes('roll', ['n1', 'n2']);
    for (const pod of first.values()) await makeReady(pod.metadata.name);
    await statusWhere('roll', 'two ready', (s) => s.numberAvailable === 2);
    await patch(`${DS_PATH}/roll`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:2' }] } } } });
    const midway = await pollUntil('one pod replaced', async () => {
      const pods = await podsOf('roll');
      const updated = pods.filter((p) => p.spec.containers[0].image === 'busybox:2');
      return updated.length === 1 ? pods : undefined;
    });
    assert.equal(midway.length, 2);
    assert.equal(midway.filter((p) => p.spec.containers[0].image === 'busybox:1').length, 1, 'maxUnavailable 1 keeps the other old pod');
    const fresh = midway.find((p) => p.spec.containers[0].image === 'busybox:2');
    await makeReady(fresh.metadata.name);
    const second = await pollUntil('second pod replaced', async () => {
      const pods = await podsOf('roll');
      return pods.length === 2 && pods.every((p) => p.spec.containers[0].image === 'busybox:2') ? pods : undefined;
    });
    for (const pod of second) await makeReady(pod.metadata.name);
    const done = await statusWhere('roll', 'rolled', (s) => s.updatedNumberScheduled === 2 && s.numberAvailable === 2 && s.observedGeneration === 2);
    assert.equal(done.desiredNumberScheduled, 2);
  });

  test('maxSurge starts the new pod next to the old one and removes the old one once the new is available', async () => {
    const body = daemonSet('surge', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }, { nodeSelector: { role: 'worker' } });
    await api.request('POST', DS_PATH, { body });
    const first = await podsOnNodes('surge', ['n1']);
    const old = first.get('n1');
    await makeReady(old.metadata.name);
    await statusWhere('surge', 'ready', (s) => s.numberAvailable === 1);
    await patch(`${DS_PATH}/surge`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:2' }] } } } });
    const both = await pollUntil('surge pod', async () => {
      const pods = await podsOf('surge');
      return pods.length === 2 ? pods : undefined;
    });
    const surged = both.find((p) => p.metadata.name !== old.metadata.name);
    assert.equal(targetOf(surged), 'n1');
    assert.equal(surged.spec.containers[0].image, 'busybox:2');
    await makeReady(surged.metadata.name);
    await pollUntil('old pod removed', async () => {
      const pods = await podsOf('surge');
      return pods.length === 1 && pods[0].metadata.name === surged.metadata.name ? true : undefined;
    });
  });

  test('failed pods are replaced, no faster than the node backoff allows', async () => {
    await api.request('POST', DS_PATH, { body: daemonSet('flaky', {}, { nodeSelector: { role: 'worker' } }) });
    const first = (await podsOnNodes('flaky', ['n1'])).get('n1');
    const fail = (name: string) => api.request('PATCH', `${NS}/pods/${name}/status`, { body: { status: { phase: 'Failed' } }, contentType: MERGE });
    await fail(first.metadata.name);
    const second = await pollUntil('replacement', async () => {
      const pods = await podsOf('flaky');
      return pods.length === 1 && pods[0].metadata.name !== first.metadata.name ? pods[0] : undefined;
    });
    const events = (await get(`${NS}/events`)).items as Json[];
    assert.ok(events.some((e) => e.reason === 'FailedDaemonPod' && e.type === 'Warning' && e.message === `Found failed daemon pod default/${first.metadata.name} on node n1, will try to kill it`));
    await fail(second.metadata.name);
    await statusWhere('flaky', 'failed pod seen', (s) => s.numberReady === 0 && s.currentNumberScheduled === 1);
    assert.equal((await podsOf('flaky'))[0].metadata.name, second.metadata.name, 'the second failure waits for the backoff');
    await clock.advance(1_500);
    await pollUntil('replaced after the backoff', async () => {
      const pods = await podsOf('flaky');
      return pods.length === 1 && pods[0].metadata.name !== second.metadata.name ? true : undefined;
    });
  });

  test('OnDelete keeps old pods until they are deleted', async () => {
    await api.request('POST', DS_PATH, { body: daemonSet('manual', { updateStrategy: { type: 'OnDelete' } }, { nodeSelector: { role: 'worker' } }) });
    const old = (await podsOnNodes('manual', ['n1'])).get('n1');
    await makeReady(old.metadata.name);
    await patch(`${DS_PATH}/manual`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:2' }] } } } });
    const status = await statusWhere('manual', 'generation 2 seen', (s) => s.observedGeneration === 2);
    assert.equal(status.updatedNumberScheduled ?? 0, 0);
    assert.equal((await podsOf('manual'))[0].metadata.name, old.metadata.name);
    await api.request('DELETE', `${NS}/pods/${old.metadata.name}`);
    const replacement = await pollUntil('replacement', async () => {
      const pods = await podsOf('manual');
      return pods.length === 1 && pods[0].metadata.name !== old.metadata.name ? pods[0] : undefined;
    });
    assert.equal(replacement.spec.containers[0].image, 'busybox:2');
  });
});
