/**
 * e2e: the kube-scheduler as a user meets it with the real kubectl against a real
 * k8ts server: a pod without spec.nodeName is scheduled and runs; pods no node can take
 * stay Pending and `kubectl describe pod` / `kubectl get events` say why, in upstream's
 * words.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { startCluster } from '../support/cluster.js';
import { pollUntil } from '../support/poll.js';

const pod = (name: string, extra: string) => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: main
    image: busybox
    imagePullPolicy: IfNotPresent
    command: [sleep, "3600"]
${extra}`;

describe('kubectl: scheduling', () => {
  let cluster: TestCluster;
  let nodeName = '';
  const k = bindKubectl(() => cluster, 'kubectl');
  const failedScheduling = (name: string) =>
    pollUntil(`FailedScheduling for ${name}`, async () => {
      const events = await k.ok(['get', 'events', '--field-selector', `involvedObject.name=${name},reason=FailedScheduling`, '-o', 'jsonpath={.items[*].message}']);
      return events === '' ? undefined : events;
    });

  before(async () => {
    cluster = await startCluster();
    nodeName = await pollUntil('the node', async () => (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])) || undefined);
  });
  after(async () => {
    await cluster?.stop();
  });

  test('a pod without nodeName is scheduled to the node and runs', async () => {
    await k.ok(['apply', '-f', '-'], { input: pod('unplaced', '') });
    await k.ok(['wait', '--for=condition=Ready', 'pod/unplaced', '--timeout=60s'], { timeoutMs: 70_000 });
    assert.equal(await k.ok(['get', 'pod', 'unplaced', '-o', 'jsonpath={.spec.nodeName}']), nodeName);
    const described = await k.ok(['describe', 'pod', 'unplaced']);
    assert.match(described, new RegExp(`Normal +Scheduled +\\S+ +default-scheduler +Successfully assigned default/unplaced to ${nodeName}`));
    const metrics = await k.ok(['get', '--raw', '/metrics']);
    assert.match(metrics, /^scheduler_schedule_attempts_total\{result="scheduled",profile="default-scheduler"\} [1-9]\d*$/m);
    assert.match(metrics, /^scheduler_pending_pods\{queue="active"\} \d+$/m);
    assert.match(metrics, /^scheduler_scheduling_attempt_duration_seconds_count\{result="scheduled",profile="default-scheduler"\} [1-9]\d*$/m);
  });

  test('a pod asking for 1000 CPUs stays Pending and says Insufficient cpu', async () => {
    await k.ok(['apply', '-f', '-'], { input: pod('huge', '    resources: {requests: {cpu: "1000"}}') });
    const message = await failedScheduling('huge');
    assert.equal(message, '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
    assert.equal(await k.ok(['get', 'pod', 'huge', '-o', 'jsonpath={.status.phase}']), 'Pending');
    assert.equal(await k.ok(['get', 'pod', 'huge', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].reason}']), 'Unschedulable');
    const described = await k.ok(['describe', 'pod', 'huge']);
    assert.match(described, /Warning +FailedScheduling +\S+ +default-scheduler +0\/1 nodes are available: 1 Insufficient cpu\./);
    const events = await k.ok(['get', 'events', '--field-selector', 'involvedObject.name=huge']);
    assert.match(events, /Warning +FailedScheduling +pod\/huge +0\/1 nodes are available: 1 Insufficient cpu\./);
  });

  test('a pod whose host port is taken stays Pending and says so', async () => {
    const ports = '    ports: [{containerPort: 8080, hostPort: 18080}]';
    await k.ok(['apply', '-f', '-'], { input: pod('port-first', ports) });
    await pollUntil('port-first bound', async () => (await k.ok(['get', 'pod', 'port-first', '-o', 'jsonpath={.spec.nodeName}'])) || undefined);
    await k.ok(['apply', '-f', '-'], { input: pod('port-second', ports) });
    const message = await failedScheduling('port-second');
    assert.equal(message, "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.");
    await k.ok(['delete', 'pod', 'port-first', '--wait=false']);
    await pollUntil('port-second bound once the port is free', async () => (await k.ok(['get', 'pod', 'port-second', '-o', 'jsonpath={.spec.nodeName}'])) || undefined);
  });
});
