import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { connect, type ConnectedClient } from '../../../test/support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';
import { pollUntil } from '../../../test/support/poll.js';
import { SimulatedNode } from './simulatedNode.js';

const NS = 'default';

function boundPod(name: string, nodeName: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS },
    spec: { nodeName, containers: [{ name: 'main', image: 'busybox' }, { name: 'side', image: 'pause' }] },
  };
}

describe('SimulatedNode', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  let node: SimulatedNode;

  before(async () => {
    api = await startInProcessApi();
    connected = connect(api);
    await api.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'kube-node-lease' } } });
    await api.request('POST', '/api/v1/namespaces', { body: { metadata: { name: NS } } });
    node = new SimulatedNode({
      client: connected.client,
      nodeName: 'sim-1',
      labels: { 'topology.kubernetes.io/zone': 'zone-a' },
      taints: [{ key: 'dedicated', value: 'sim', effect: 'NoSchedule' }],
      capacity: { cpu: '2', memory: '4Gi', pods: 20 },
      reserved: 'cpu=500m',
    });
    await node.start();
  });

  after(async () => {
    await node.remove();
    connected.close();
    await api.stop();
  });

  it('registers a Ready Node with its labels, taints, capacity and allocatable', async () => {
    const { body } = await api.request('GET', '/api/v1/nodes/sim-1');
    const registered = body as Node;
    assert.equal(registered.metadata?.labels?.['topology.kubernetes.io/zone'], 'zone-a');
    assert.equal(registered.metadata?.labels?.['kubernetes.io/hostname'], 'sim-1');
    assert.deepEqual(registered.spec?.taints, [{ key: 'dedicated', value: 'sim', effect: 'NoSchedule' }]);
    assert.equal(registered.status?.capacity?.cpu, '2');
    assert.equal(registered.status?.capacity?.memory, '4Gi');
    assert.equal(registered.status?.capacity?.pods, '20');
    assert.equal(registered.status?.allocatable?.cpu, '1500m');
    assert.equal(registered.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    assert.deepEqual(registered.status?.addresses?.find((a) => a.type === 'InternalIP'), { type: 'InternalIP', address: '127.0.0.1' });
  });

  it('holds a Lease in kube-node-lease', async () => {
    const lease = await pollUntil('the node lease', async () => {
      const res = await api.request('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/sim-1');
      return res.status === 200 ? res.body : undefined;
    });
    assert.equal(lease.spec.holderIdentity, 'sim-1');
  });

  it('reports a pod bound to it Running and Ready, with a pod IP from its CIDR', async () => {
    await api.request('POST', `/api/v1/namespaces/${NS}/pods`, { body: boundPod('web', 'sim-1') });
    const pod = await pollUntil('the pod to run', async () => {
      const { body } = await api.request('GET', `/api/v1/namespaces/${NS}/pods/web`);
      return (body as Pod).status?.phase === 'Running' ? (body as Pod) : undefined;
    });
    assert.match(pod.status?.podIP ?? '', /^198\.18\.250\.\d+$/);
    assert.equal(pod.status?.hostIP, '127.0.0.1');
    assert.equal(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    assert.deepEqual(pod.status?.containerStatuses?.map((c) => [c.name, c.ready, c.state?.running !== undefined]), [
      ['main', true, true],
      ['side', true, true],
    ]);
  });

  it('runs a pod bound to it after creation (through pods/binding, as the scheduler binds)', async () => {
    const unbound = boundPod('late', 'sim-1');
    delete unbound.spec?.nodeName;
    await api.request('POST', `/api/v1/namespaces/${NS}/pods`, { body: unbound });
    const bound = await api.request('POST', `/api/v1/namespaces/${NS}/pods/late/binding`, {
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'late' }, target: { kind: 'Node', name: 'sim-1' } },
    });
    assert.equal(bound.status, 201);
    await pollUntil('the bound pod to run', async () => {
      const { body } = await api.request('GET', `/api/v1/namespaces/${NS}/pods/late`);
      return (body as Pod).status?.phase === 'Running' ? true : undefined;
    });
  });

  it('ignores pods bound to other nodes', async () => {
    await api.request('POST', `/api/v1/namespaces/${NS}/pods`, { body: boundPod('elsewhere', 'other-node') });
    await api.request('POST', `/api/v1/namespaces/${NS}/pods`, { body: boundPod('marker', 'sim-1') });
    await pollUntil('the marker pod to run', async () => {
      const { body } = await api.request('GET', `/api/v1/namespaces/${NS}/pods/marker`);
      return (body as Pod).status?.phase === 'Running' ? true : undefined;
    });
    const { body } = await api.request('GET', `/api/v1/namespaces/${NS}/pods/elsewhere`);
    assert.notEqual((body as Pod).status?.phase, 'Running');
  });

  it('finishes a graceful deletion by deleting the pod', async () => {
    const deleted = await api.request('DELETE', `/api/v1/namespaces/${NS}/pods/web`);
    assert.equal(deleted.status, 200);
    await pollUntil('the pod to be gone', async () => {
      const res = await api.request('GET', `/api/v1/namespaces/${NS}/pods/web`);
      return res.status === 404 ? true : undefined;
    });
  });

  it('remove() deletes the Node', async () => {
    const other = new SimulatedNode({ client: connected.client, nodeName: 'sim-2' });
    await other.start();
    assert.equal((await api.request('GET', '/api/v1/nodes/sim-2')).status, 200);
    await other.remove();
    assert.equal((await api.request('GET', '/api/v1/nodes/sim-2')).status, 404);
  });
});
