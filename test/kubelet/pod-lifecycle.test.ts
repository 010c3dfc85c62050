/**
 * The kubelet's pod loop end to end: a real containerd (own bridge and /24), a real
 * API server in process, and a Kubelet on the real clock with a short relist period.
 * Pods are created through the API with spec.nodeName set; what the tests check is
 * what a user sees: the pod's status, its container's log file, the runtime's state.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import type { ResourceTarget } from '../../src/client/index.js';
import type { PodObject } from '../../src/kubelet/apiObjects.js';
import { defaultCgroupRoot, removeCgroupRoot } from '../../src/kubelet/cm/podCgroups.js';
import { Kubelet } from '../../src/kubelet/kubelet.js';
import { RuntimeKey } from '../../src/kubelet/runtimeLabels.js';
import { startTestContainerd, type TestContainerd } from '../../src/runtime/testing/testContainerd.js';
import { connect, type ConnectedClient } from '../support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';
import { pollUntil } from '../support/poll.js';

const NODE = 'kubelet-test-node';
const POD_CIDR_PREFIX = '198.18.240.';
const PODS: ResourceTarget = { group: '', version: 'v1', resource: 'pods', namespace: 'default' };
const CONFIGMAPS: ResourceTarget = { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' };

interface RunningKubelet {
  kubelet: Kubelet;
  stop(): Promise<void>;
}

async function startKubelet(node: TestContainerd, client: ConnectedClient): Promise<RunningKubelet> {
  const controller = new AbortController();
  const kubelet = new Kubelet({
    nodeName: NODE,
    client: client.client,
    cri: node.cri,
    dataDir: join(node.dataDir, 'kubelet'),
    relistPeriodMs: 300,
    resyncPeriodMs: 2_000,
    onError: () => undefined,
  });
  await kubelet.start(controller.signal);
  return {
    kubelet,
    async stop() {
      controller.abort();
      await kubelet.stopped();
    },
  };
}

function busyboxPod(name: string, command: string[], extra: Partial<Pod['spec']> = {}): PodObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: 'busybox', imagePullPolicy: 'IfNotPresent', command }],
      ...extra,
    },
  };
}

describe('kubelet pod loop on a real containerd', () => {
  let node: TestContainerd;
  let api: InProcessApi;
  let client: ConnectedClient;
  let kubelet: RunningKubelet | undefined;

  before(async () => {
    node = await startTestContainerd({ bridge: 'k8tskubelet0', podCidr: `${POD_CIDR_PREFIX}0/24` });
    api = await startInProcessApi();
    client = connect(api);
    kubelet = await startKubelet(node, client);
  });

  after(async () => {
    await kubelet?.stop();
    client?.close();
    await api?.stop();
    // The kubelet's pod cgroups live under a root named after its data dir; `k8ts killall` removes it for servers.
    const cgroupRoot = node !== undefined ? defaultCgroupRoot(join(node.dataDir, 'kubelet')) : undefined;
    await node?.stop();
    if (cgroupRoot !== undefined) await removeCgroupRoot(cgroupRoot);
  });

  const getPod = (name: string): Promise<PodObject> => client.client.get<PodObject>(PODS, name);
  const mainStatus = (pod: Pod): ContainerStatus | undefined => pod.status?.containerStatuses?.find((s) => s.name === 'main');

  test('a busybox pod bound to the node runs: Running, Ready, a pod IP, a containerd:// id', async () => {
    await client.client.create(PODS, busyboxPod('runner', ['sleep', '3600']));
    const pod = await pollUntil('pod runner Running and Ready', async () => {
      const p = await getPod('runner');
      const ready = p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      return p.status?.phase === 'Running' && ready ? p : undefined;
    }, 60_000);
    assert.ok(pod.status?.podIP?.startsWith(POD_CIDR_PREFIX), `podIP ${pod.status?.podIP}`);
    assert.deepEqual(pod.status?.podIPs, [{ ip: pod.status?.podIP }]);
    assert.equal(pod.status?.hostIP, '127.0.0.1');
    assert.equal(pod.status?.qosClass, 'BestEffort');
    assert.ok(pod.status?.startTime);
    const main = mainStatus(pod);
    assert.ok(main?.state?.running?.startedAt);
    assert.match(main?.containerID ?? '', /^containerd:\/\/[0-9a-f]{64}$/);
    assert.equal(main?.ready, true);
    assert.equal(main?.restartCount, 0);
  });

  test('a container exiting 3 under restartPolicy Never fails the pod with exit code 3, reason Error', async () => {
    await client.client.create(PODS, busyboxPod('exits', ['sh', '-c', 'exit 3'], { restartPolicy: 'Never' }));
    const pod = await pollUntil('pod exits Failed', async () => {
      const p = await getPod('exits');
      return p.status?.phase === 'Failed' ? p : undefined;
    }, 60_000);
    const terminated = mainStatus(pod)?.state?.terminated;
    assert.equal(terminated?.exitCode, 3);
    assert.equal(terminated?.reason, 'Error');
    assert.equal(mainStatus(pod)?.restartCount, 0);
  });

  test('OnFailure restarts a failing container and then shows CrashLoopBackOff', async () => {
    await client.client.create(PODS, busyboxPod('crashes', ['sh', '-c', 'exit 1'], { restartPolicy: 'OnFailure' }));
    const pod = await pollUntil('pod crashes in CrashLoopBackOff', async () => {
      const p = await getPod('crashes');
      const main = mainStatus(p);
      return main !== undefined && main.restartCount >= 1 && main.state?.waiting?.reason === 'CrashLoopBackOff' ? p : undefined;
    }, 60_000);
    const main = mainStatus(pod);
    assert.match(main?.state?.waiting?.message ?? '', /^back-off 10s restarting failed container=main pod=crashes_default\(/);
    assert.equal(main?.lastState?.terminated?.exitCode, 1);
    assert.equal(pod.status?.phase, 'Running');
  });

  test('env from a ConfigMap and $(VAR) expansion reach the container (seen in its log file)', async () => {
    await client.client.create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'greeting', namespace: 'default' }, data: { WHO: 'world' } });
    const pod = busyboxPod('env', ['sh', '-c', 'echo "message=$(MESSAGE) who=$WHO"; sleep 3600']);
    const container = pod.spec!.containers[0]!;
    container.envFrom = [{ configMapRef: { name: 'greeting' } }];
    container.env = [{ name: 'MESSAGE', value: 'hello-$(WHO)' }];
    const created = await client.client.create(PODS, pod);
    const logFile = join(node.dataDir, 'kubelet', 'pods', `default_env_${created.metadata.uid ?? ''}`, 'main', '0.log');
    const log = await pollUntil('the env pod log line', async () => {
      const text = await readFile(logFile, 'utf8').catch(() => '');
      return text.includes('message=') ? text : undefined;
    }, 60_000);
    assert.match(log, / stdout F message=hello-world who=world\n/);
  });

  test('deleting a pod stops its containers, removes its sandbox and then the API object', async () => {
    const created = await client.client.create(PODS, busyboxPod('doomed', ['sleep', '3600']));
    const uid = created.metadata.uid ?? '';
    await pollUntil('pod doomed Running', async () => ((await getPod('doomed')).status?.phase === 'Running' ? true : undefined), 60_000);
    await client.client.delete(PODS, 'doomed');
    await pollUntil('pod doomed gone from the API', async () => {
      const list = await client.client.list<PodObject>(PODS);
      return list.items.some((p) => p.metadata.name === 'doomed') ? undefined : true;
    }, 60_000);
    const filter = { labelSelector: { [RuntimeKey.podUid]: uid } };
    assert.deepEqual(await node.cri.listPodSandbox(filter), []);
    assert.deepEqual(await node.cri.listContainers(filter), []);
  });

  test('a second kubelet on the same containerd adopts a running pod without restarting it', async () => {
    await client.client.create(PODS, busyboxPod('adopted', ['sleep', '3600']));
    const before = await pollUntil('pod adopted Running', async () => {
      const p = await getPod('adopted');
      return p.status?.phase === 'Running' && mainStatus(p)?.state?.running !== undefined ? mainStatus(p) : undefined;
    }, 60_000);
    await kubelet?.stop();
    const seenBefore = client.tap.requests.length;
    kubelet = await startKubelet(node, client);
    // The new kubelet's first status write for the pod comes after its first sync of it.
    await pollUntil('the new kubelet writing the pod status', async () =>
      client.tap.requests.slice(seenBefore).some((r) => r.method === 'PATCH' && r.path === '/api/v1/namespaces/default/pods/adopted/status') ? true : undefined);
    const uid = (await getPod('adopted')).metadata.uid ?? '';
    const after = mainStatus(await getPod('adopted'));
    assert.equal(after?.containerID, before.containerID);
    assert.equal(after?.state?.running?.startedAt, before.state?.running?.startedAt);
    assert.equal(after?.restartCount, 0);
    const containers = await node.cri.listContainers({ labelSelector: { [RuntimeKey.podUid]: uid } });
    assert.equal(containers.length, 1);
    assert.equal(containers[0]?.state, 'CONTAINER_RUNNING');
  });

  test('a pod deleted from the API while the kubelet was down is removed from the runtime when it starts', async () => {
    const created = await client.client.create(PODS, busyboxPod('orphaned', ['sleep', '3600']));
    const uid = created.metadata.uid ?? '';
    await pollUntil('pod orphaned Running', async () => ((await getPod('orphaned')).status?.phase === 'Running' ? true : undefined), 60_000);
    await kubelet?.stop();
    await client.client.delete(PODS, 'orphaned', { gracePeriodSeconds: 0 });
    kubelet = await startKubelet(node, client);
    const filter = { labelSelector: { [RuntimeKey.podUid]: uid } };
    await pollUntil('the orphaned sandbox removed', async () => ((await node.cri.listPodSandbox(filter)).length === 0 ? true : undefined), 60_000);
    assert.deepEqual(await node.cri.listContainers(filter), []);
  });
});
