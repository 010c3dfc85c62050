/**
 * The node lifecycle and taint eviction controllers against a real API server (in
 * process, memory store) on a fake clock. The test plays the kubelets: it renews
 * node Leases and posts Ready conditions itself.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, NodeCondition, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { connect, type ConnectedClient } from '../../../test/support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';
import { pollUntil } from '../../../test/support/poll.js';
import { FakeClock, formatMicroTime } from '../../client/index.js';
import { ControllerManager } from '../manager.js';
import { nodeLifecycleControllerDescriptor } from './nodeLifecycleController.js';
import { taintEvictionControllerDescriptor } from './taintEvictionController.js';

const LEASES = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
const PODS = '/api/v1/namespaces/default/pods';

function stamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function kubeletConditions(status: 'True' | 'False', ms: number): NodeCondition[] {
  const at = stamp(ms);
  const pressure = (type: string): NodeCondition => ({ type, status: 'False', reason: 'KubeletHasNoPressure', message: 'fine', lastHeartbeatTime: at, lastTransitionTime: at });
  return [
    pressure('MemoryPressure'),
    pressure('DiskPressure'),
    pressure('PIDPressure'),
    { type: 'Ready', status, reason: status === 'True' ? 'KubeletReady' : 'KubeletNotReady', message: 'kubelet says so', lastHeartbeatTime: at, lastTransitionTime: at },
  ];
}

function podOn(name: string, nodeName: string, tolerations: Toleration[] = []): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { nodeName, tolerations, containers: [{ name: 'c', image: 'busybox' }] },
  };
}

const UNREACHABLE_FOR = (seconds?: number): Toleration => ({
  key: 'node.kubernetes.io/unreachable',
  operator: 'Exists',
  effect: 'NoExecute',
  ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}),
});
const NOT_READY_FOREVER: Toleration = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' };

describe('node lifecycle and taint eviction controllers', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  let manager: ControllerManager;
  const clock = new FakeClock(Date.now());
  /** Nodes whose "kubelet" renews the Lease on every tick. */
  const alive = new Set<string>();

  const getNode = async (name: string): Promise<Node> => (await api.request('GET', `/api/v1/nodes/${name}`)).body;
  const getPod = async (name: string): Promise<{ status: number; pod: Pod }> => {
    const res = await api.request('GET', `${PODS}/${name}`);
    return { status: res.status, pod: res.body };
  };
  const taintsOf = async (name: string): Promise<string[]> => ((await getNode(name)).spec?.taints ?? []).map((t: Taint) => `${t.key}:${t.effect}`).sort();

  const renew = async (name: string): Promise<void> => {
    const lease = (await api.request('GET', `${LEASES}/${name}`)).body;
    lease.spec.renewTime = formatMicroTime(clock.now());
    await api.request('PUT', `${LEASES}/${name}`, { body: lease });
  };
  /** One second of fake time, with every live node's Lease renewed first. */
  const tick = async (): Promise<void> => {
    for (const name of alive) await renew(name);
    await clock.advance(1000);
  };
  /** Ticks until `probe` returns something. */
  const tickUntil = <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> =>
    pollUntil(what, async () => {
      const value = await probe();
      if (value !== undefined) return value;
      await tick();
      return undefined;
    }, 60_000, 20);

  const postReady = async (name: string, status: 'True' | 'False'): Promise<void> => {
    const node = await getNode(name);
    const others = (node.status?.conditions ?? []).filter((c) => !['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].includes(c.type));
    await api.request('PATCH', `/api/v1/nodes/${name}/status`, {
      body: { status: { conditions: [...others, ...kubeletConditions(status, clock.now())] } },
      contentType: 'application/merge-patch+json',
    });
  };

  const addNode = async (name: string): Promise<void> => {
    const created = (await api.request('POST', '/api/v1/nodes', { body: { apiVersion: 'v1', kind: 'Node', metadata: { name } } })).body;
    await postReady(name, 'True');
    await api.request('POST', LEASES, {
      body: {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: created.metadata.uid }] },
        spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: formatMicroTime(clock.now()) },
      },
    });
    alive.add(name);
  };

  before(async () => {
    api = await startInProcessApi();
    connected = connect(api);
    for (const name of ['node-a', 'node-b', 'node-c']) await addNode(name);
    manager = new ControllerManager({
      client: connected.client,
      controllers: [nodeLifecycleControllerDescriptor, taintEvictionControllerDescriptor],
      clock,
      settings: { nodeMonitorGracePeriodMs: 40_000 },
      log: () => undefined,
    });
    manager.start();
  });
  after(async () => {
    await manager.stop();
    connected.close();
    await api.stop();
  });

  test('a node that stops renewing its Lease turns Unknown and gets the unreachable taints; its pods turn not Ready', async () => {
    await api.request('POST', PODS, { body: podOn('short', 'node-b', [UNREACHABLE_FOR(5), NOT_READY_FOREVER]) });
    await api.request('POST', PODS, { body: podOn('forever', 'node-b', [UNREACHABLE_FOR(), NOT_READY_FOREVER]) });
    for (const name of ['short', 'forever']) {
      await api.request('PATCH', `${PODS}/${name}/status`, {
        body: { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
        contentType: 'application/merge-patch+json',
      });
    }
    // Healthy nodes keep their conditions through several monitor passes.
    for (let i = 0; i < 12; i++) await tick();
    assert.equal((await getNode('node-b')).status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    alive.delete('node-b');
    const unknown = await tickUntil('node-b Ready=Unknown', async () => {
      const node = await getNode('node-b');
      return node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'Unknown' ? node : undefined;
    });
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      const condition = unknown.status?.conditions?.find((c) => c.type === type);
      assert.equal(condition?.status, 'Unknown', type);
      assert.equal(condition?.reason, 'NodeStatusUnknown');
      assert.equal(condition?.message, 'Kubelet stopped posting node status.');
    }
    await tickUntil('the unreachable taints', async () => {
      const taints = await taintsOf('node-b');
      return taints.includes('node.kubernetes.io/unreachable:NoExecute') && taints.includes('node.kubernetes.io/unreachable:NoSchedule') ? taints : undefined;
    });
    const taint = (await getNode('node-b')).spec?.taints?.find((t) => t.effect === 'NoExecute');
    assert.ok(taint?.timeAdded, 'NoExecute taints carry timeAdded');
    const { pod } = await tickUntil('pod forever not Ready', async () => {
      const got = await getPod('forever');
      return got.pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False' ? got : undefined;
    });
    assert.equal(pod.status?.phase, 'Running');
    assert.deepEqual(await taintsOf('node-a'), []);
  });

  test('a pod tolerating the taint for 5 s is evicted after that; one tolerating it forever stays', async () => {
    const evicted = await tickUntil('pod short deleted', async () => {
      const got = await getPod('short');
      return got.status === 404 || got.pod.metadata?.deletionTimestamp !== undefined ? got : undefined;
    });
    if (evicted.status === 200) {
      const condition = evicted.pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
      assert.equal(condition?.status, 'True');
      assert.equal(condition?.reason, 'DeletionByTaintManager');
      assert.equal(condition?.message, 'Taint manager: deleting due to NoExecute taint');
    }
    const events = (await api.request('GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dshort,reason%3DTaintManagerEviction')).body.items;
    assert.ok(events.some((e: { message: string }) => e.message === 'Marking for deletion Pod default/short'), JSON.stringify(events));
    for (let i = 0; i < 10; i++) await tick();
    const forever = await getPod('forever');
    assert.equal(forever.status, 200);
    assert.equal(forever.pod.metadata?.deletionTimestamp, undefined);
  });

  test('a pod not tolerating a NoExecute taint is deleted at once', async () => {
    await api.request('POST', PODS, { body: podOn('intolerant', 'node-c') });
    await api.request('PATCH', '/api/v1/nodes/node-c', {
      body: { spec: { taints: [{ key: 'dedicated', value: 'x', effect: 'NoExecute' }] } },
      contentType: 'application/merge-patch+json',
    });
    await pollUntil('pod intolerant deleted', async () => {
      const got = await getPod('intolerant');
      return got.status === 404 || got.pod.metadata?.deletionTimestamp !== undefined ? true : undefined;
    });
    await api.request('PATCH', '/api/v1/nodes/node-c', { body: { spec: { taints: null } }, contentType: 'application/merge-patch+json' });
  });

  test('the node recovering removes the taints', async () => {
    alive.add('node-b');
    await postReady('node-b', 'True');
    await tickUntil('node-b untainted', async () => ((await taintsOf('node-b')).length === 0 ? true : undefined));
  });

  test('NoSchedule taints follow the node conditions and spec.unschedulable', async () => {
    await postReady('node-c', 'False');
    await api.request('PATCH', '/api/v1/nodes/node-c/status', {
      body: { status: { conditions: [{ type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', message: 'full' }] } },
      contentType: 'application/strategic-merge-patch+json',
    });
    await api.request('PATCH', '/api/v1/nodes/node-c', { body: { spec: { unschedulable: true } }, contentType: 'application/merge-patch+json' });
    const wanted = ['node.kubernetes.io/disk-pressure:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule'];
    let seen: unknown;
    await tickUntil('the condition taints of node-c', async () => {
      const taints = await taintsOf('node-c');
      seen = [taints, (await getNode('node-c')).status?.conditions];
      return JSON.stringify(taints) === JSON.stringify(wanted) ? true : undefined;
    }).catch((err: Error) => assert.fail(`${err.message}: ${JSON.stringify(seen)}`));
    await postReady('node-c', 'True');
    await api.request('PATCH', '/api/v1/nodes/node-c', { body: { spec: { unschedulable: false } }, contentType: 'application/merge-patch+json' });
    await tickUntil('node-c untainted', async () => ((await taintsOf('node-c')).length === 0 ? true : undefined));
  });
});
