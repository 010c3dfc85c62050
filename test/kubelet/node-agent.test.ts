/**
 * The kubelet's node part against a real API server (in process, memory store) on a
 * fake clock: registration with upstream's labels, capacity and allocatable; the
 * Lease heartbeat; Ready transitions driven by the runtime signal; re-registration
 * after the Node is deleted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeCondition } from 'kubernetes-types/core/v1.js';
import { parseQuantity } from '../../src/api/quantity.js';
import { FakeClock, type LeaseObject, type ResourceTarget, type RestClient } from '../../src/client/index.js';
import { NodeAgent, RUNTIME_DOWN, SettableNodeSignals, parseResourceListFlag, type MachineInfo, type NodeObject } from '../../src/kubelet/node/index.js';
import { connect, type ConnectedClient } from '../support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';
import { pollUntil } from '../support/poll.js';

const NODES: ResourceTarget = { group: '', version: 'v1', resource: 'nodes' };
const LEASES: ResourceTarget = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-node-lease' };

const machine: MachineInfo = {
  cpuCount: 4,
  memoryBytes: 8_046_200 * 1024,
  ephemeralStorageBytes: 50 * 1024 ** 3,
  ephemeralStorageInodes: 3_276_800,
  pidMax: 4_194_304,
  hugePageSizes: [2 * 1024 ** 2],
  machineID: '0123456789abcdef0123456789abcdef',
  systemUUID: 'c0ffee00-0000-0000-0000-000000000001',
  bootID: '5b8a7e6c-0000-4000-8000-000000000002',
  kernelVersion: '6.1.0-18-amd64',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  architecture: 'amd64',
  operatingSystem: 'linux',
};

/** A running agent on its own fake clock; `tick` moves time and waits until both loops sleep again. */
interface RunningAgent {
  agent: NodeAgent;
  clock: FakeClock;
  signals: SettableNodeSignals;
  tick(ms: number): Promise<void>;
  stop(): Promise<void>;
}

async function startAgent(client: RestClient, nodeName: string): Promise<RunningAgent> {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  const signals = new SettableNodeSignals();
  const agent = new NodeAgent({
    nodeName,
    client,
    clock,
    machine,
    controlPlane: true,
    internalIP: '127.0.0.1',
    podCIDRs: ['10.42.0.0/24'],
    kubeletPort: 10250,
    kubeReserved: parseResourceListFlag('cpu=100m,memory=200Mi'),
    systemReserved: parseResourceListFlag('cpu=100m'),
    runtimeVersion: async () => 'containerd://1.6.20',
    signals,
  });
  const abort = new AbortController();
  agent.start(abort.signal);
  await clock.waitForTimers(2);
  return {
    agent,
    clock,
    signals,
    async tick(ms) {
      await clock.advance(ms);
      await clock.waitForTimers(2);
    },
    async stop() {
      abort.abort();
      await agent.stopped();
    },
  };
}

const condition = (node: NodeObject, type: string): NodeCondition => {
  const found = node.status?.conditions?.find((c) => c.type === type);
  assert.ok(found, `node has a ${type} condition`);
  return found;
};

describe('kubelet node agent', () => {
  let api: InProcessApi;
  let connection: ConnectedClient;
  let client: RestClient;

  before(async () => {
    api = await startInProcessApi();
    connection = connect(api);
    client = connection.client;
  });

  after(async () => {
    connection.close();
    await api.stop();
  });

  test('registers the Node with upstream labels, capacity, allocatable and nodeInfo', async () => {
    const running = await startAgent(client, 'node-a');
    try {
      const node = await client.get<NodeObject>(NODES, 'node-a');
      assert.deepEqual(node.metadata.labels, {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': 'node-a',
        'kubernetes.io/os': 'linux',
        'node-role.kubernetes.io/control-plane': '',
      });
      assert.equal(node.metadata.annotations?.['volumes.kubernetes.io/controller-managed-attach-detach'], 'true');
      assert.deepEqual(node.spec, { podCIDR: '10.42.0.0/24', podCIDRs: ['10.42.0.0/24'] });
      assert.deepEqual(node.status?.capacity, { cpu: '4', memory: '8046200Ki', 'ephemeral-storage': '50Gi', pods: '110', 'hugepages-2Mi': '0' });
      const nodefsReserve = Math.trunc(50 * 1024 ** 3 * Math.fround(Math.fround(10) / 100));
      const { 'ephemeral-storage': storage, ...allocatable } = node.status?.allocatable ?? {};
      assert.deepEqual(allocatable, { cpu: '3800m', memory: `${8_046_200 - 300 * 1024}Ki`, pods: '110', 'hugepages-2Mi': '0' });
      // the server keeps a patched quantity as written but canonicalises a created one: compare by value
      assert.equal(parseQuantity(storage ?? '').value(), 50 * 1024 ** 3 - nodefsReserve);
      assert.deepEqual(node.status?.nodeInfo, {
        machineID: machine.machineID,
        systemUUID: machine.systemUUID,
        bootID: machine.bootID,
        kernelVersion: machine.kernelVersion,
        osImage: machine.osImage,
        containerRuntimeVersion: 'containerd://1.6.20',
        kubeletVersion: 'v1.32.0-k8ts',
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      });
      assert.deepEqual(node.status?.addresses, [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: 'node-a' },
      ]);
      assert.deepEqual(node.status?.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
      assert.deepEqual(
        node.status?.conditions?.map((c) => [c.type, c.status, c.reason]),
        [
          ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
          ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
          ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
          ['Ready', 'True', 'KubeletReady'],
        ],
      );

      const table = await api.request('GET', '/api/v1/nodes/node-a', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
      const columns = (table.body.columnDefinitions as { name: string }[]).map((c) => c.name);
      const cells = table.body.rows[0].cells as unknown[];
      const cell = (name: string): unknown => cells[columns.indexOf(name)];
      assert.deepEqual([cell('Name'), cell('Status'), cell('Roles'), cell('Version')], ['node-a', 'Ready', 'control-plane', 'v1.32.0-k8ts']);
    } finally {
      await running.stop();
    }
  });

  test('creates the node Lease and renews it every 10 s of the clock', async () => {
    const running = await startAgent(client, 'node-b');
    try {
      await running.tick(10_000);
      const node = await client.get<NodeObject>(NODES, 'node-b');
      const first = await client.get<LeaseObject>(LEASES, 'node-b');
      assert.equal(first.spec?.holderIdentity, 'node-b');
      assert.equal(first.spec?.leaseDurationSeconds, 40);
      assert.equal(first.spec?.renewTime, '2026-01-01T12:00:10.000000Z');
      assert.deepEqual(first.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'node-b', uid: node.metadata.uid }]);

      await running.tick(10_000);
      const second = await client.get<LeaseObject>(LEASES, 'node-b');
      assert.equal(second.spec?.renewTime, '2026-01-01T12:00:20.000000Z');
      assert.notEqual(second.metadata.resourceVersion, first.metadata.resourceVersion);
    } finally {
      await running.stop();
    }
  });

  test('Ready follows the runtime signal; lastTransitionTime moves only when it flips', async () => {
    const running = await startAgent(client, 'node-c');
    try {
      const registered = condition(await client.get<NodeObject>(NODES, 'node-c'), 'Ready');
      await running.tick(10_000);
      const steady = condition(await client.get<NodeObject>(NODES, 'node-c'), 'Ready');
      assert.equal(steady.lastTransitionTime, registered.lastTransitionTime);

      running.signals.setErrors('runtime', [RUNTIME_DOWN]);
      await running.tick(10_000);
      const down = condition(await client.get<NodeObject>(NODES, 'node-c'), 'Ready');
      assert.deepEqual([down.status, down.reason, down.message], ['False', 'KubeletNotReady', 'container runtime is down']);
      assert.equal(down.lastTransitionTime, '2026-01-01T12:00:20Z');
      assert.equal(down.lastHeartbeatTime, '2026-01-01T12:00:20Z');
      const memory = condition(await client.get<NodeObject>(NODES, 'node-c'), 'MemoryPressure');
      assert.equal(memory.lastTransitionTime, registered.lastTransitionTime);

      await running.tick(10_000);
      const stillDown = condition(await client.get<NodeObject>(NODES, 'node-c'), 'Ready');
      assert.equal(stillDown.lastTransitionTime, '2026-01-01T12:00:20Z');

      running.signals.setErrors('runtime', []);
      await running.tick(10_000);
      const back = condition(await client.get<NodeObject>(NODES, 'node-c'), 'Ready');
      assert.deepEqual([back.status, back.reason, back.lastTransitionTime], ['True', 'KubeletReady', '2026-01-01T12:00:40Z']);
    } finally {
      await running.stop();
    }
  });

  test('an unchanged status is reported again only after the report frequency (5 min)', async () => {
    const running = await startAgent(client, 'node-d');
    try {
      const heartbeat = async (): Promise<string | undefined> => condition(await client.get<NodeObject>(NODES, 'node-d'), 'Ready').lastHeartbeatTime;
      assert.equal(await heartbeat(), '2026-01-01T12:00:00Z');
      for (let i = 0; i < 29; i++) await running.tick(10_000);
      assert.equal(await heartbeat(), '2026-01-01T12:00:00Z');
      await running.tick(10_000);
      assert.equal(await heartbeat(), '2026-01-01T12:05:00Z');
    } finally {
      await running.stop();
    }
  });

  test('registers the Node again after it was deleted, and the Lease follows the new owner', async () => {
    const running = await startAgent(client, 'node-e');
    try {
      const original = await client.get<NodeObject>(NODES, 'node-e');
      await client.delete(NODES, 'node-e');
      await running.tick(10_000);
      const again = await pollUntil('node-e registered again', async () => {
        const node = await client.get<NodeObject>(NODES, 'node-e');
        return node.metadata.uid !== original.metadata.uid ? node : undefined;
      });
      assert.equal(again.metadata.labels?.['kubernetes.io/hostname'], 'node-e');
      assert.equal(condition(again, 'Ready').status, 'True');
      await running.tick(10_000);
      const lease = await client.get<LeaseObject>(LEASES, 'node-e');
      assert.equal(lease.metadata.ownerReferences?.[0]?.uid, again.metadata.uid);
    } finally {
      await running.stop();
    }
  });

  test('takes over an existing Node, restoring the labels the kubelet owns and keeping others', async () => {
    await client.create<NodeObject>(NODES, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-f', labels: { 'kubernetes.io/hostname': 'stale', team: 'blue' } },
    });
    const running = await startAgent(client, 'node-f');
    try {
      const node = await client.get<NodeObject>(NODES, 'node-f');
      assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], 'node-f');
      assert.equal(node.metadata.labels?.team, 'blue');
      assert.equal(node.metadata.labels?.['kubernetes.io/os'], 'linux');
      assert.equal(node.metadata.annotations?.['volumes.kubernetes.io/controller-managed-attach-detach'], 'true');
      assert.equal(condition(node, 'Ready').status, 'True');
      assert.equal(node.status?.capacity?.cpu, '4');
    } finally {
      await running.stop();
    }
  });
});
