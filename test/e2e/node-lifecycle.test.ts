/**
 * e2e: nodes come and go. Simulated nodes join a real `k8ts server` (its own kubelet
 * disabled) and run the pods bound to them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bindKubectl } from '../support/boundKubectl.js';
import { startCluster, type TestCluster } from '../support/cluster.js';
import { manifest } from '../support/manifests.js';
import { pollUntil } from '../support/poll.js';
import { startSimulatedNodes, type SimulatedNodes } from '../support/simulatedNodes.js';

interface PodJson {
  status: { phase?: string; podIP?: string; conditions?: { type: string; status: string }[] };
}

function podOn(name: string, nodeName: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { nodeName, containers: [{ name: 'main', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
  };
}

describe('node lifecycle', () => {
  let cluster: TestCluster;
  let sim: SimulatedNodes | undefined;
  const k = bindKubectl(() => cluster, 'kubectl');

  before(async () => {
    cluster = await startCluster(['--disable', 'kubelet']);
    sim = await startSimulatedNodes(cluster, [{ nodeName: 'sim-a' }, { nodeName: 'sim-b', labels: { 'topology.kubernetes.io/zone': 'b' } }]);
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
    const pod = await pollUntil('pod on-a Running', async () => {
      const json = JSON.parse(await k.ok(['get', 'pod', 'on-a', '-o', 'json'])) as PodJson;
      return json.status.phase === 'Running' ? json : undefined;
    });
    assert.match(pod.status.podIP ?? '', /^198\.18\.250\.\d+$/);
    assert.match(await k.ok(['get', 'pod', 'on-a']), /^on-a\s+1\/1\s+Running\s+0\s/m);
  });
});
