/**
 * Static pods on a real containerd with a real in-process API server: the kubelet
 * runs the pods of its manifest directory, mirrors them into the API (status
 * included), brings a deleted mirror back without touching the pod, replaces pod and
 * mirror when the file changes, removes both when the file goes, and runs static pods
 * with no API server at all.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResourceTarget } from '../../src/client/index.js';
import type { PodObject } from '../../src/kubelet/apiObjects.js';
import { defaultCgroupRoot, removeCgroupRoot } from '../../src/kubelet/cm/podCgroups.js';
import { Kubelet } from '../../src/kubelet/kubelet.js';
import { RuntimeKey } from '../../src/kubelet/runtimeLabels.js';
import { startTestContainerd, type TestContainerd } from '../../src/runtime/testing/testContainerd.js';
import { connect, type ConnectedClient } from '../support/apiClient.js';
import { freePort } from '../support/cluster.js';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';
import { pollUntil } from '../support/poll.js';

const NODE = 'static-node';
const PODS: ResourceTarget = { group: '', version: 'v1', resource: 'pods', namespace: 'default' };
const NODES: ResourceTarget = { group: '', version: 'v1', resource: 'nodes' };

function manifest(name: string, command: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', command] }] },
  });
}

interface RunningKubelet {
  stop(): Promise<void>;
}

/** Starts a kubelet on `client`; `synced` false: do not wait for the API's pods (it may never answer). */
async function startKubelet(node: TestContainerd, client: ConnectedClient, manifests: string, synced = true): Promise<RunningKubelet> {
  const controller = new AbortController();
  const kubelet = new Kubelet({
    nodeName: NODE,
    client: client.client,
    cri: node.cri,
    dataDir: join(node.dataDir, 'kubelet'),
    podManifestPath: manifests,
    manifestRescanPeriodMs: 1_000,
    relistPeriodMs: 300,
    resyncPeriodMs: 2_000,
    onError: () => undefined,
  });
  const started = kubelet.start(controller.signal);
  if (synced) await started;
  return {
    async stop() {
      controller.abort();
      await started;
      await kubelet.stopped();
    },
  };
}

/** The running containers of the runtime pod named `name`. */
async function runningContainers(node: TestContainerd, name: string): Promise<string[]> {
  const containers = await node.cri.listContainers({ labelSelector: { [RuntimeKey.podName]: name } });
  return containers.filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => c.id);
}

describe('static pods', () => {
  let node: TestContainerd;
  let api: InProcessApi;
  let client: ConnectedClient;
  let manifests: string;
  let kubelet: RunningKubelet | undefined;

  before(async () => {
    manifests = await mkdtemp(join(tmpdir(), 'k8ts-static-'));
    node = await startTestContainerd({ bridge: 'k8tsstatic0', podCidr: '198.18.253.0/24' });
    api = await startInProcessApi();
    client = connect(api);
    await client.client.create(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name: NODE } });
    kubelet = await startKubelet(node, client, manifests);
  });

  after(async () => {
    await kubelet?.stop();
    client?.close();
    await api?.stop();
    // The kubelet's pod cgroups live under a root named after its data dir; `k8ts killall` removes it for servers.
    const cgroupRoot = node !== undefined ? defaultCgroupRoot(join(node.dataDir, 'kubelet')) : undefined;
    await node?.stop();
    if (cgroupRoot !== undefined) await removeCgroupRoot(cgroupRoot);
    await rm(manifests, { recursive: true, force: true });
  });

  const mirror = (name: string): Promise<PodObject | undefined> => client.client.get<PodObject>(PODS, name).catch(() => undefined);
  const runningMirror = (name: string, notUid?: string): Promise<PodObject> => pollUntil(`mirror ${name} Running`, async () => {
    const pod = await mirror(name);
    const running = pod?.status?.containerStatuses?.[0]?.state?.running !== undefined;
    return pod?.status?.phase === 'Running' && running && pod.metadata.uid !== notUid ? pod : undefined;
  }, 60_000);

  test('a manifest runs as <name>-<node> with a mirror pod owned by the node, carrying its status', async () => {
    await writeFile(join(manifests, 'web.json'), manifest('web', 'sleep 3600'));
    const pod = await runningMirror(`web-${NODE}`);
    const hash = pod.metadata.annotations?.['kubernetes.io/config.hash'];
    assert.match(hash ?? '', /^[0-9a-f]{32}$/);
    assert.equal(pod.metadata.annotations?.['kubernetes.io/config.mirror'], hash);
    assert.equal(pod.metadata.annotations?.['kubernetes.io/config.source'], 'file');
    assert.notEqual(pod.metadata.uid, hash);
    const nodeUid = (await client.client.get(NODES, NODE)).metadata.uid;
    assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: NODE, uid: nodeUid, controller: true }]);
    assert.deepEqual(pod.spec?.tolerations, [{ operator: 'Exists', effect: 'NoExecute' }]);
    assert.deepEqual(await runningContainers(node, `web-${NODE}`), [pod.status?.containerStatuses?.[0]?.containerID?.replace('containerd://', '')]);
  });

  test('a deleted mirror pod comes back while the same container keeps running', async () => {
    const before = await runningMirror(`web-${NODE}`);
    await client.client.delete(PODS, `web-${NODE}`);
    const after = await runningMirror(`web-${NODE}`, before.metadata.uid);
    assert.equal(after.status?.containerStatuses?.[0]?.containerID, before.status?.containerStatuses?.[0]?.containerID);
    assert.equal(after.status?.containerStatuses?.[0]?.restartCount, 0);
  });

  test('an edited manifest replaces the pod and its mirror; a removed one stops it and deletes the mirror', async () => {
    const before = await runningMirror(`web-${NODE}`);
    await writeFile(join(manifests, 'web.json'), manifest('web', 'sleep 1800'));
    const edited = await pollUntil('the new mirror Running', async () => {
      const pod = await mirror(`web-${NODE}`);
      const id = pod?.status?.containerStatuses?.[0]?.containerID;
      return pod?.status?.phase === 'Running' && id !== undefined && id !== before.status?.containerStatuses?.[0]?.containerID ? pod : undefined;
    }, 60_000);
    assert.notEqual(edited.metadata.annotations?.['kubernetes.io/config.mirror'], before.metadata.annotations?.['kubernetes.io/config.mirror']);
    assert.deepEqual(edited.spec?.containers[0]?.command, ['sh', '-c', 'sleep 1800']);
    await pollUntil('one container left', async () => ((await runningContainers(node, `web-${NODE}`)).length === 1 ? true : undefined), 60_000);

    await unlink(join(manifests, 'web.json'));
    await pollUntil('the mirror deleted', async () => ((await mirror(`web-${NODE}`)) === undefined ? true : undefined), 60_000);
    await pollUntil('the containers stopped', async () => ((await runningContainers(node, `web-${NODE}`)).length === 0 ? true : undefined), 60_000);
  });

  test('with the API server gone, a kubelet still starts and keeps its static pods', async () => {
    await writeFile(join(manifests, 'offline.json'), manifest('offline', 'sleep 3600'));
    await pollUntil('offline running', async () => ((await runningContainers(node, `offline-${NODE}`)).length === 1 ? true : undefined), 60_000);
    const [first] = await runningContainers(node, `offline-${NODE}`);
    await kubelet?.stop();
    kubelet = undefined;
    const gone = connect({ url: `http://127.0.0.1:${await freePort()}` });
    try {
      const offline = await startKubelet(node, gone, manifests, false);
      kubelet = offline;
      await writeFile(join(manifests, 'late.json'), manifest('late', 'sleep 3600'));
      await pollUntil('late running without an API', async () => ((await runningContainers(node, `late-${NODE}`)).length === 1 ? true : undefined), 60_000);
      assert.deepEqual(await runningContainers(node, `offline-${NODE}`), [first]);
      await offline.stop();
      kubelet = undefined;
    } finally {
      gone.close();
    }
  });
});
