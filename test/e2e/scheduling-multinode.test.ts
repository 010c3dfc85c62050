/**
 * e2e: scheduling across several nodes, with the real kubectl against a real k8ts
 * server and three simulated nodes in zones a, b and c: topology spread constraints
 * spread pods evenly over zones, required pod anti-affinity puts one pod per node, and
 * a nodeSelector no node matches leaves the pod Pending with upstream's explanation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bindKubectl } from '../support/boundKubectl.js';
import { startCluster, type TestCluster } from '../support/cluster.js';
import { pollUntil } from '../support/poll.js';
import { startSimulatedNodes, type SimulatedNodes } from '../support/simulatedNodes.js';

const ZONE = 'topology.kubernetes.io/zone';

const pod = (name: string, labels: string, extraSpec: string): string => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {${labels}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: main
    image: busybox
    imagePullPolicy: IfNotPresent
    command: [sleep, "3600"]
${extraSpec}
---`;

describe('kubectl: scheduling over several nodes', () => {
  let cluster: TestCluster;
  let sim: SimulatedNodes | undefined;
  const k = bindKubectl(() => cluster, 'kubectl');
  const nodeOf = (name: string): Promise<string> => k.ok(['get', 'pod', name, '-o', 'jsonpath={.spec.nodeName}']);
  const failedScheduling = (name: string): Promise<string> =>
    pollUntil(`FailedScheduling for ${name}`, async () => {
      const events = await k.ok(['get', 'events', '--field-selector', `involvedObject.name=${name},reason=FailedScheduling`, '-o', 'jsonpath={.items[*].message}']);
      return events === '' ? undefined : events;
    });

  before(async () => {
    cluster = await startCluster(['--disable', 'kubelet']);
    sim = await startSimulatedNodes(cluster, [
      { nodeName: 'sim-a', labels: { [ZONE]: 'a' } },
      { nodeName: 'sim-b', labels: { [ZONE]: 'b' } },
      { nodeName: 'sim-c', labels: { [ZONE]: 'c' } },
    ]);
  });
  after(async () => {
    await sim?.stop();
    await cluster?.stop();
  });

  test('topology spread constraints spread pods evenly over the zones', async () => {
    const spread = `  topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: ${ZONE}
    whenUnsatisfiable: DoNotSchedule
    labelSelector: {matchLabels: {app: spread}}`;
    const names = Array.from({ length: 6 }, (_, i) => `spread-${i}`);
    await k.ok(['apply', '-f', '-'], { input: names.map((name) => pod(name, 'app: spread', spread)).join('\n') });
    const nodes = await pollUntil('every spread pod bound', async () => {
      const bound = await Promise.all(names.map(nodeOf));
      return bound.every((n) => n !== '') ? bound : undefined;
    });
    const perNode = new Map<string, number>();
    for (const node of nodes) perNode.set(node, (perNode.get(node) ?? 0) + 1);
    assert.deepEqual([...perNode.entries()].sort(), [['sim-a', 2], ['sim-b', 2], ['sim-c', 2]]);
  });

  test('required pod anti-affinity puts one pod per node and explains the one left over', async () => {
    const anti = `  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: {matchLabels: {app: solo}}
        topologyKey: kubernetes.io/hostname`;
    const names = ['solo-0', 'solo-1', 'solo-2'];
    await k.ok(['apply', '-f', '-'], { input: names.map((name) => pod(name, 'app: solo', anti)).join('\n') });
    const nodes = await pollUntil('every solo pod bound', async () => {
      const bound = await Promise.all(names.map(nodeOf));
      return bound.every((n) => n !== '') ? bound : undefined;
    });
    assert.deepEqual([...nodes].sort(), ['sim-a', 'sim-b', 'sim-c']);
    await k.ok(['apply', '-f', '-'], { input: pod('solo-3', 'app: solo', anti) });
    const message = await failedScheduling('solo-3');
    assert.match(message, /^0\/3 nodes are available: 3 node\(s\) didn't match pod anti-affinity rules\. preemption: /);
    assert.equal(await nodeOf('solo-3'), '');
  });

  test('a nodeSelector no node matches leaves the pod Pending and says why', async () => {
    await k.ok(['apply', '-f', '-'], { input: pod('nowhere', 'app: nowhere', '  nodeSelector: {disktype: ssd}') });
    const message = await failedScheduling('nowhere');
    assert.match(message, /^0\/3 nodes are available: 3 node\(s\) didn't match Pod's node affinity\/selector\. preemption: /);
    const described = await k.ok(['describe', 'pod', 'nowhere']);
    assert.match(described, /Warning +FailedScheduling +\S+ +default-scheduler +0\/3 nodes are available: 3 node\(s\) didn't match Pod's node affinity\/selector\./);
    assert.equal(await k.ok(['get', 'pod', 'nowhere', '-o', 'jsonpath={.status.phase}']), 'Pending');
  });
});
