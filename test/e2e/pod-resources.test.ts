/**
 * e2e: pod resources as the kubelet enforces them — the pod cgroup under its QoS class
 * with the pod's memory limit, gone after the pod is deleted, and a container over its
 * 16Mi memory limit OOM-killed (OOMKilled, exit code 137) and restarted — seen with the
 * real kubectl against a real k8ts server and its containerd.
 */
import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { ResourceRequirements } from 'kubernetes-types/core/v1.js';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { startCluster } from '../support/cluster.js';
import { busyboxPod, manifest } from '../support/manifests.js';
import { pollUntil } from '../support/poll.js';

const MiB = 1024 * 1024;

/** A busybox pod on `node` running `script` with `resources`, `restartPolicy` and a 1s grace period. */
function podManifest(name: string, node: string, script: string, resources: ResourceRequirements, restartPolicy = 'Never'): string {
  return manifest(busyboxPod(name, node, { script, container: { resources }, spec: { restartPolicy, terminationGracePeriodSeconds: 1 } }));
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

describe('kubectl: pod cgroups and memory limits', () => {
  let cluster: TestCluster;
  let node = '';
  const k = bindKubectl(() => cluster, 'kubectl');
  const field = (name: string, path: string): Promise<string> => k.ok(['get', 'pod', name, '-o', `jsonpath={${path}}`]);
  const running = (name: string): Promise<string> => pollUntil(`pod ${name} running`, async () => ((await field(name, '.status.phase')) === 'Running' ? 'ok' : undefined), 60_000);

  before(async () => {
    cluster = await startCluster();
    node = await pollUntil('the node', async () => (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])) || undefined);
  });
  after(async () => {
    await k.run(['delete', 'pods', '--all', '--wait=false']).catch(() => undefined);
    await cluster.stop();
  });

  test('a Burstable pod lives in kubepods/burstable/pod<uid> with its memory limit; the cgroup goes with the pod', async () => {
    await k.ok(['apply', '-f', '-'], { input: podManifest('limited', node, 'sleep 3600', { requests: { cpu: '100m' }, limits: { memory: '32Mi' } }) });
    await running('limited');
    const uid = await field('limited', '.metadata.uid');
    assert.equal(await field('limited', '.status.qosClass'), 'Burstable');
    const memoryLine = (await k.ok(['exec', 'limited', '--', 'cat', '/proc/self/cgroup'])).split('\n').find((line) => /^\d+:memory:/.test(line)) ?? '';
    const containerCgroup = memoryLine.replace(/^\d+:memory:/, '');
    const podCgroup = containerCgroup.slice(0, containerCgroup.lastIndexOf('/'));
    assert.match(podCgroup, new RegExp(`^/k8ts-[0-9a-f]+/kubepods/burstable/pod${uid}$`));
    const podDir = `/sys/fs/cgroup/memory${podCgroup}`;
    assert.equal(Number((await readFile(`${podDir}/memory.limit_in_bytes`, 'utf8')).trim()), 32 * MiB);
    assert.equal((await readFile(`/sys/fs/cgroup/cpu${podCgroup}/cpu.shares`, 'utf8')).trim(), '102');
    assert.equal(Number((await readFile(`/sys/fs/cgroup/memory${containerCgroup}/memory.limit_in_bytes`, 'utf8')).trim()), 32 * MiB);

    await k.ok(['delete', 'pod', 'limited', '--wait=true', '--timeout=60s']);
    await pollUntil('the pod cgroup removed', async () => ((await exists(podDir)) ? undefined : true), 30_000);
    assert.equal(await exists(`/sys/fs/cgroup/cpu${podCgroup}`), false);
  });

  test('a container over its 16Mi memory limit is OOMKilled with exit code 137 and restarted', async () => {
    await k.ok(['apply', '-f', '-'], { input: podManifest('hog', node, 'exec tail /dev/zero', { limits: { memory: '16Mi' } }, 'Always') });
    const terminated = await pollUntil('an OOM-killed instance', async () => {
      const raw = await field('hog', '.status.containerStatuses[0].lastState.terminated');
      return raw === '' ? undefined : (JSON.parse(raw) as { reason?: string; exitCode?: number });
    }, 90_000, 500);
    assert.equal(terminated.reason, 'OOMKilled');
    assert.equal(terminated.exitCode, 137);
    assert.ok(Number(await field('hog', '.status.containerStatuses[0].restartCount')) >= 1);
    await k.ok(['delete', 'pod', 'hog', '--wait=true', '--timeout=60s']);
  });
});
