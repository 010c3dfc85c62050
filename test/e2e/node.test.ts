/**
 * e2e: `k8ts server` is also a node. Its kubelet registers a Ready Node with the
 * machine's capacity and containerd as runtime, heartbeats through a Lease, keeps
 * both across a server restart, and `--disable kubelet` leaves the cluster without a node.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { startCluster } from '../support/cluster.js';
import { pollUntil } from '../support/poll.js';

interface NodeJson {
  metadata: { name: string; uid: string; labels: Record<string, string> };
  spec: { podCIDR?: string };
  status: {
    conditions: { type: string; status: string; reason: string }[];
    capacity: Record<string, string>;
    allocatable: Record<string, string>;
    nodeInfo: { containerRuntimeVersion: string; kubeletVersion: string };
  };
}

describe('k8ts server runs a node', () => {
  let cluster: TestCluster;
  const k = bindKubectl(() => cluster, 'kubectl');
  before(async () => {
    cluster = await startCluster(['--pod-cidr', '198.18.77.0/24', '--kube-reserved', 'cpu=100m,memory=100Mi']);
  });
  after(() => cluster.stop());

  const readyNode = (): Promise<NodeJson> =>
    pollUntil('a Ready node', async () => {
      const list = JSON.parse(await k.ok(['get', 'nodes', '-o', 'json'])) as { items: NodeJson[] };
      const node = list.items[0];
      return node?.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True') ? node : undefined;
    });

  test('the node registers Ready with labels, capacity, allocatable and runtime', async () => {
    const node = await readyNode();
    assert.equal(node.metadata.labels['kubernetes.io/os'], 'linux');
    assert.equal(node.metadata.labels['kubernetes.io/hostname'], node.metadata.name);
    assert.equal(node.metadata.labels['node-role.kubernetes.io/control-plane'], '');
    assert.equal(node.spec.podCIDR, '198.18.77.0/24');
    assert.match(node.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\/1\./);
    assert.equal(node.status.nodeInfo.kubeletVersion, 'v1.32.0-k8ts');
    assert.equal(node.status.capacity.pods, '110');
    assert.notEqual(node.status.allocatable.memory, node.status.capacity.memory, 'kube-reserved and eviction threshold are subtracted');
    const ready = node.status.conditions.find((c) => c.type === 'Ready');
    assert.equal(ready?.reason, 'KubeletReady');
    for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      assert.equal(node.status.conditions.find((c) => c.type === type)?.status, 'False', type);
    }
    const table = await k.ok(['get', 'nodes']);
    assert.match(table, new RegExp(`^${node.metadata.name}\\s+Ready\\s+control-plane\\s+\\S+\\s+v1\\.32\\.0-k8ts$`, 'm'));
  });

  test('the node heartbeats through a Lease and keeps its identity across a server restart', async () => {
    const before = await readyNode();
    interface LeaseJson {
      spec: { holderIdentity: string; leaseDurationSeconds: number };
      metadata: { ownerReferences?: { uid: string }[] };
    }
    // A lease created before the Node existed gets its owner at the next renewal (every 10 s), as upstream.
    const lease = await pollUntil('the node lease, owned by the node', async () => {
      const got = JSON.parse(await k.ok(['get', 'lease', '-n', 'kube-node-lease', before.metadata.name, '-o', 'json'])) as LeaseJson;
      return got.metadata.ownerReferences !== undefined ? got : undefined;
    });
    assert.equal(lease.spec.holderIdentity, before.metadata.name);
    assert.equal(lease.spec.leaseDurationSeconds, 40);
    assert.equal(lease.metadata.ownerReferences?.[0]?.uid, before.metadata.uid);

    await cluster.restart();
    const after = await readyNode();
    assert.equal(after.metadata.uid, before.metadata.uid);
  });
});

describe('k8ts server --disable kubelet', () => {
  let cluster: TestCluster;
  const k = bindKubectl(() => cluster, 'kubectl');
  before(async () => {
    cluster = await startCluster(['--disable', 'kubelet']);
  });
  after(() => cluster.stop());

  test('no node registers', async () => {
    assert.equal((await k.ok(['get', 'nodes', '-o', 'name'])).trim(), '');
  });
});
