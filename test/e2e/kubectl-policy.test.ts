/**
 * e2e: policy as a user meets it with the real kubectl against a real k8ts server:
 * a PodDisruptionBudget blocks `kubectl drain` and evictions while it has no
 * disruption to spare and lets them through when it has; a ResourceQuota refuses the
 * pod beyond its count and `kubectl describe quota` shows the usage; a LimitRange
 * fills in a container's requests and limits; a pod of the system-cluster-critical
 * class gets its priority.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { kubectlBinaries, startCluster } from '../support/cluster.js';
import { pollUntil } from '../support/poll.js';

const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

const REPLICA_SET = `
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: main
        image: busybox
        imagePullPolicy: IfNotPresent
        command: [sleep, "3600"]
`;

const budget = (minAvailable: number) => `
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: ${minAvailable}
  selector:
    matchLabels: {app: web}
`;

const pod = (name: string, namespace: string, extra = '') => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: main
    image: busybox
    imagePullPolicy: IfNotPresent
    command: [sleep, "3600"]
${extra}`;

describe('kubectl: disruption budgets, quotas, limit ranges and priorities', () => {
  let cluster: TestCluster;
  let node = '';
  const k = bindKubectl(() => cluster, 'kubectl');
  const readyWebPods = () =>
    pollUntil('2 ready web pods', async () => {
      const ready = await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
      const names = ready.split('\n').filter((line) => line.endsWith('=True')).map((line) => line.split('=')[0] ?? '');
      return names.length === 2 ? names : undefined;
    });
  const allowed = (count: number) =>
    pollUntil(`${count} disruptions allowed`, async () => {
      const value = await k.ok(['get', 'pdb', 'web', '-o', 'jsonpath={.status.disruptionsAllowed}/{.status.currentHealthy}']);
      return value.startsWith(`${count}/`) ? value : undefined;
    });
  const evict = (name: string) =>
    k.run(['create', '--raw', `/api/v1/namespaces/default/pods/${name}/eviction`, '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } }),
    });

  before(async () => {
    cluster = await startCluster();
    node = await pollUntil('the node', async () => (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])) || undefined);
    await k.ok(['apply', '-f', '-'], { input: REPLICA_SET });
  });
  after(async () => {
    await cluster?.stop();
  });

  test('a budget needing every running replica blocks kubectl drain', async () => {
    await readyWebPods();
    await k.ok(['apply', '-f', '-'], { input: budget(2) });
    await allowed(0);
    const listed = await k.ok(['get', 'pdb', 'web']);
    assert.match(listed, /^NAME +MIN AVAILABLE +MAX UNAVAILABLE +ALLOWED DISRUPTIONS +AGE\nweb +2 +N\/A +0 +/);
    const drain = await k.run(['drain', node, '--ignore-daemonsets', '--timeout=6s'], { timeoutMs: 30_000 });
    assert.notEqual(drain.code, 0);
    assert.ok(drain.stderr.includes(VIOLATION), drain.stderr);
    assert.match(drain.stdout + drain.stderr, new RegExp(`node/${node} cordoned`));
    assert.equal((await readyWebPods()).length, 2);
    await k.ok(['uncordon', node]);
  });

  test('with a disruption to spare one eviction passes and the next is refused with 429', async () => {
    await k.ok(['apply', '-f', '-'], { input: budget(1) });
    await allowed(1);
    const [first, second] = await readyWebPods();
    const passed = await evict(first ?? '');
    assert.equal(passed.code, 0, passed.stderr);
    const refused = await evict(second ?? '');
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Error from server \(TooManyRequests\): Cannot evict pod as it would violate the pod's disruption budget\./);
    // The ReplicaSet replaces the evicted pod and the budget recovers.
    await allowed(1);
    const described = await k.ok(['describe', 'pdb', 'web']);
    assert.match(described, /Min available: +1/);
    assert.match(described, /Allowed disruptions: +1/);
  });

  test('kubectl drain (newest and 1.27) evicts the pods and waits for them once no budget is in the way', async () => {
    await k.ok(['delete', 'pdb', 'web']);
    for (const { version, path } of kubectlBinaries()) {
      await readyWebPods();
      const drained = await bindKubectl(() => cluster, path).ok(['drain', node, '--ignore-daemonsets', '--timeout=60s'], { timeoutMs: 90_000 });
      assert.match(drained, /evicting pod default\/web-/, version);
      assert.match(drained, new RegExp(`node/${node} drained`), version);
      assert.equal(await k.ok(['get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}']), 'true');
      await k.ok(['uncordon', node]);
    }
    await readyWebPods();
  });

  test('a quota of two pods refuses the third; describe quota shows the usage', async () => {
    await k.ok(['create', 'namespace', 'quota']);
    await k.ok(['create', 'quota', 'pods', '--hard=pods=2', '-n', 'quota']);
    await pollUntil('quota status', async () => ((await k.ok(['get', 'quota', 'pods', '-n', 'quota', '-o', 'jsonpath={.status.used.pods}'])) === '0' ? true : undefined));
    await k.ok(['apply', '-f', '-'], { input: pod('one', 'quota') });
    await k.ok(['apply', '-f', '-'], { input: pod('two', 'quota') });
    const refused = await k.fails(['apply', '-f', '-'], { input: pod('three', 'quota') });
    assert.match(refused, /pods "three" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2/);
    assert.match(await k.ok(['get', 'quota', '-n', 'quota']), /^NAME +REQUEST +LIMIT +AGE\npods +pods: 2\/2 +/);
    const described = await k.ok(['describe', 'quota', 'pods', '-n', 'quota']);
    assert.match(described, /Resource +Used +Hard\n-+ +-+ +-+\npods +2 +2/);
  });

  test('a LimitRange fills in the requests and limits a container leaves out', async () => {
    await k.ok(['create', 'namespace', 'limits']);
    const range = `
apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: limits}
spec:
  limits:
  - type: Container
    default: {cpu: 200m, memory: 64Mi}
    defaultRequest: {cpu: 100m, memory: 32Mi}
    max: {cpu: "1"}
`;
    await k.ok(['apply', '-f', '-'], { input: range });
    await k.ok(['apply', '-f', '-'], { input: pod('defaulted', 'limits') });
    const resources = JSON.parse(await k.ok(['get', 'pod', 'defaulted', '-n', 'limits', '-o', 'jsonpath={.spec.containers[0].resources}']));
    assert.deepEqual(resources, { limits: { cpu: '200m', memory: '64Mi' }, requests: { cpu: '100m', memory: '32Mi' } });
    const refused = await k.fails(['apply', '-f', '-'], { input: pod('greedy', 'limits', '    resources: {limits: {cpu: "2"}}') });
    assert.match(refused, /pods "greedy" is forbidden: maximum cpu usage per Container is 1, but limit is 2/);
  });

  test('a system-cluster-critical pod gets priority 2000000000; an unknown class is refused', async () => {
    await k.ok(['apply', '-f', '-'], { input: pod('critical', 'default', '  priorityClassName: system-cluster-critical') });
    assert.equal(await k.ok(['get', 'pod', 'critical', '-o', 'jsonpath={.spec.priority}']), '2000000000');
    const classes = await k.ok(['get', 'priorityclasses']);
    assert.match(classes, /system-cluster-critical +2000000000 +false/);
    assert.match(classes, /system-node-critical +2000001000 +false/);
    const refused = await k.fails(['apply', '-f', '-'], { input: pod('unknown', 'default', '  priorityClassName: foo') });
    assert.match(refused, /pods "unknown" is forbidden: no PriorityClass with name foo was found/);
  });
});
