/**
 * e2e: DaemonSets as a user meets them with the real kubectl against a real k8ts
 * server (scheduler and kubelet on containerd) plus simulated nodes: a DaemonSet runs a
 * pod on the real node and on each untainted simulated node, skips a tainted one,
 * covers a node that joins later, `kubectl rollout status` waits for it and an update
 * rolls every pod to the new template.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SimulatedNode } from '../../src/kubelet/simulated/simulatedNode.js';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { startCluster } from '../support/cluster.js';
import { pollUntil } from '../support/poll.js';
import { startSimulatedNodes, type SimulatedNodes } from '../support/simulatedNodes.js';

const DAEMON_SET = `
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: busybox
        imagePullPolicy: IfNotPresent
        command: [sleep, '3600']
`;

interface PodView {
  name: string;
  node: string;
  revision: string;
  terminating: boolean;
}

describe('kubectl: daemonsets', () => {
  let cluster: TestCluster;
  let sim: SimulatedNodes | undefined;
  let joining: SimulatedNode | undefined;
  let realNode = '';
  const k = bindKubectl(() => cluster, 'kubectl');
  const pods = async (): Promise<PodView[]> => {
    const list = JSON.parse(await k.ok(['get', 'pods', '-l', 'app=agent', '-o', 'json'])) as {
      items: { metadata: { name: string; deletionTimestamp?: string; labels: Record<string, string> }; spec: { nodeName?: string } }[];
    };
    return list.items.map((p) => ({ name: p.metadata.name, node: p.spec.nodeName ?? '', revision: p.metadata.labels['controller-revision-hash'] ?? '', terminating: p.metadata.deletionTimestamp !== undefined }));
  };
  const podNodes = (nodes: string[]) =>
    pollUntil(
      `agent pods bound to ${nodes.join(',')}`,
      async () => {
        const now = (await pods()).filter((p) => !p.terminating);
        return JSON.stringify(now.map((p) => p.node).sort()) === JSON.stringify([...nodes].sort()) ? now : undefined;
      },
      60_000,
    );

  before(async () => {
    cluster = await startCluster();
    realNode = await pollUntil('the real node', async () => (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])) || undefined);
    sim = await startSimulatedNodes(cluster, [{ nodeName: 'sim-a' }, { nodeName: 'sim-b', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }]);
  });
  after(async () => {
    await joining?.stop();
    await sim?.stop();
    await cluster?.stop();
  });

  test('runs on each eligible node, skips the tainted one, covers a joining node and rolls an update', async () => {
    await k.ok(['apply', '-f', '-'], { input: DAEMON_SET });
    await podNodes([realNode, 'sim-a']);
    const done = await k.ok(['rollout', 'status', 'ds/agent', '--timeout=120s'], { timeoutMs: 130_000 });
    assert.match(done, /daemon set "agent" successfully rolled out/);
    const status = JSON.parse(await k.ok(['get', 'ds', 'agent', '-o', 'jsonpath={.status}'])) as Record<string, number>;
    assert.equal(status.desiredNumberScheduled, 2);
    assert.equal(status.numberReady, 2);
    assert.equal(status.numberMisscheduled, 0);

    joining = new SimulatedNode({ client: sim!.client, nodeName: 'sim-c', podCIDR: '198.18.253.0/24' });
    await joining.start();
    await podNodes([realNode, 'sim-a', 'sim-c']);
    await k.ok(['rollout', 'status', 'ds/agent', '--timeout=120s'], { timeoutMs: 130_000 });

    const before = await pods();
    await k.ok(['set', 'env', 'ds/agent', 'REVISION=2']);
    await k.ok(['rollout', 'status', 'ds/agent', '--timeout=180s'], { timeoutMs: 190_000 });
    const rolled = await podNodes([realNode, 'sim-a', 'sim-c']);
    assert.ok(rolled.every((p) => !before.some((b) => b.name === p.name)), 'every pod was replaced');
    assert.equal(new Set(rolled.map((p) => p.revision)).size, 1);
    assert.notEqual(rolled[0]!.revision, before[0]!.revision);
  });
});
