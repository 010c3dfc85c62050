/**
 * e2e: nodes come and go. Simulated nodes join a real `k8ts server` (its own kubelet
 * disabled, node monitor grace period 8 s) and run the pods bound to them. A node
 * that stops heartbeating turns Unknown and gets the unreachable taints; its pods
 * are evicted once their tolerationSeconds run out; its recovery lifts the taints.
 * Pods of a deleted node are garbage collected, and every new pod gets the default
 * 300 s not-ready/unreachable tolerations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { bindKubectl } from '../support/boundKubectl.js';
import { startCluster, type TestCluster } from '../support/cluster.js';
import { listManifest, manifest } from '../support/manifests.js';
import { pollUntil } from '../support/poll.js';
import { startSimulatedNodes, type SimulatedNodes } from '../support/simulatedNodes.js';

function podOn(name: string, nodeName: string, tolerations: Toleration[] = []): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { nodeName, tolerations, containers: [{ name: 'main', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
  };
}

const unreachableFor = (seconds?: number): Toleration => ({
  key: 'node.kubernetes.io/unreachable',
  operator: 'Exists',
  effect: 'NoExecute',
  ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}),
});

describe('node lifecycle', () => {
  let cluster: TestCluster;
  let sim: SimulatedNodes | undefined;
  const k = bindKubectl(() => cluster, 'kubectl');

  const getPod = async (name: string): Promise<Pod | undefined> => {
    const result = await k.run(['get', 'pod', name, '-o', 'json']);
    return result.code === 0 ? (JSON.parse(result.stdout) as Pod) : undefined;
  };
  const runningPod = (name: string): Promise<Pod> =>
    pollUntil(`pod ${name} Running`, async () => {
      const pod = await getPod(name);
      return pod?.status?.phase === 'Running' ? pod : undefined;
    });
  const taintsOf = async (node: string): Promise<string[]> => {
    const json = await k.ok(['get', 'node', node, '-o', 'jsonpath={.spec.taints}']);
    return (json === '' ? [] : (JSON.parse(json) as Taint[])).map((t) => `${t.key}:${t.effect}`).sort();
  };
  const readyStatus = (node: string): Promise<string> => k.ok(['get', 'node', node, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);

  before(async () => {
    cluster = await startCluster(['--disable', 'kubelet', '--node-monitor-grace-period', '8s']);
    // Leases of 8 s are renewed every 2 s: well inside the grace period.
    sim = await startSimulatedNodes(cluster, [
      { nodeName: 'sim-a', leaseDurationSeconds: 8 },
      { nodeName: 'sim-b', leaseDurationSeconds: 8, labels: { 'topology.kubernetes.io/zone': 'b' } },
      { nodeName: 'sim-c', leaseDurationSeconds: 8 },
    ]);
    // The pod GC's quarantine of a vanished node takes the better part of a minute: start it first.
    await k.ok(['apply', '-f', '-'], { input: manifest(podOn('orphan', 'sim-c')) });
    await runningPod('orphan');
    await sim.node('sim-c').remove();
  });
  after(async () => {
    await sim?.stop();
    await cluster.stop();
  });

  test('simulated nodes register Ready and run the pods bound to them', async () => {
    const table = await k.ok(['get', 'nodes']);
    assert.match(table, /^sim-a\s+Ready\s+<none>\s/m);
    assert.match(table, /^sim-b\s+Ready\s+<none>\s/m);
    assert.equal(await k.ok(['get', 'node', 'sim-b', '-o', 'jsonpath={.metadata.labels.topology\\.kubernetes\\.io/zone}']), 'b');
    await k.ok(['apply', '-f', '-'], { input: manifest(podOn('on-a', 'sim-a')) });
    const pod = await runningPod('on-a');
    assert.match(pod.status?.podIP ?? '', /^198\.18\.250\.\d+$/);
    assert.match(await k.ok(['get', 'pod', 'on-a']), /^on-a\s+1\/1\s+Running\s+0\s/m);
  });

  test('a new pod gets the not-ready and unreachable NoExecute tolerations for 300 s', async () => {
    const yaml = await k.ok(['get', 'pod', 'on-a', '-o', 'yaml']);
    for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
      assert.match(yaml, new RegExp(`- effect: NoExecute\\n\\s+key: ${key.replace(/[./]/g, '\\$&')}\\n\\s+operator: Exists\\n\\s+tolerationSeconds: 300\\n`));
    }
  });

  test('a node that stops heartbeating turns Unknown and tainted; its pods are evicted after their tolerationSeconds', async () => {
    await k.ok(['apply', '-f', '-'], { input: listManifest([podOn('short', 'sim-a', [unreachableFor(5)]), podOn('forever', 'sim-a', [unreachableFor()])]) });
    await runningPod('short');
    await runningPod('forever');
    await sim!.node('sim-a').stop();
    await pollUntil('sim-a Ready=Unknown', async () => ((await readyStatus('sim-a')) === 'Unknown' ? true : undefined), 60_000);
    const reason = await k.ok(['get', 'node', 'sim-a', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].reason}']);
    assert.equal(reason, 'NodeStatusUnknown');
    assert.match(await k.ok(['get', 'nodes']), /^sim-a\s+NotReady\s/m);
    await pollUntil('the unreachable taints', async () => {
      const taints = await taintsOf('sim-a');
      return taints.includes('node.kubernetes.io/unreachable:NoExecute') && taints.includes('node.kubernetes.io/unreachable:NoSchedule') ? true : undefined;
    });
    const evicted = await pollUntil('pod short evicted', async () => {
      const pod = await getPod('short');
      return pod?.metadata?.deletionTimestamp !== undefined ? pod : undefined;
    });
    const disruption = evicted.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.equal(disruption?.reason, 'DeletionByTaintManager');
    const events = await k.ok(['get', 'events', '--field-selector', 'reason=TaintManagerEviction,involvedObject.name=short', '-o', 'jsonpath={.items[*].message}']);
    assert.match(events, /Marking for deletion Pod default\/short/);
    const forever = await getPod('forever');
    assert.equal(forever?.metadata?.deletionTimestamp, undefined);
    assert.equal(forever?.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
  });

  test('the node coming back lifts the taints', async () => {
    await sim!.resume('sim-a');
    await pollUntil('sim-a Ready and untainted', async () => ((await readyStatus('sim-a')) === 'True' && (await taintsOf('sim-a')).length === 0 ? true : undefined), 60_000);
    await runningPod('forever');
    assert.equal((await getPod('forever'))?.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  });

  test('pods of a deleted node are garbage collected', async () => {
    await pollUntil('pod orphan gone', async () => ((await getPod('orphan')) === undefined ? true : undefined), 120_000, 1_000);
  });
});
