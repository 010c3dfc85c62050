import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { milliCpuToQuota, milliCpuToShares } from './cpu.js';
import { containerOomScoreAdjust } from './oomScore.js';
import { burstableShares, podCgroupPath, podCgroupValues } from './podCgroupConfig.js';
import { PodCgroups } from './podCgroups.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

function pod(uid: string, containers: Container[], initContainers: Container[] = []): Pod {
  return { metadata: { name: uid, namespace: 'default', uid }, spec: { containers, ...(initContainers.length > 0 ? { initContainers } : {}) } };
}

describe('pod cgroup values (ResourceConfigForPod)', () => {
  test('cpu conversions keep upstream bounds', () => {
    assert.deepEqual([milliCpuToShares(0), milliCpuToShares(1), milliCpuToShares(250), milliCpuToShares(1_000_000)], [2, 2, 256, 262_144]);
    assert.deepEqual([milliCpuToQuota(0), milliCpuToQuota(5), milliCpuToQuota(1500)], [0, 1000, 150_000]);
  });

  test('Guaranteed: directly under kubepods, shares, quota and the summed memory limit', () => {
    const p = pod('g', [{ name: 'a', resources: { limits: { cpu: '500m', memory: '16Mi' } } }, { name: 'b', resources: { limits: { cpu: '1', memory: '32Mi' } } }]);
    assert.equal(podCgroupPath('/k8ts-x', 'Guaranteed', 'g'), '/k8ts-x/kubepods/podg');
    assert.deepEqual(podCgroupValues(p), { cpuShares: 1536, cpuPeriodUs: 100_000, cpuQuotaUs: 150_000, memoryLimitBytes: 48 * MiB });
  });

  test('Burstable: limits only when every container sets them; init containers count by their peak', () => {
    const partial = pod('b', [{ name: 'a', resources: { requests: { cpu: '100m' }, limits: { memory: '64Mi' } } }, { name: 'b' }]);
    assert.deepEqual(podCgroupValues(partial), { cpuShares: 102 });
    const withInit = pod('i', [{ name: 'a', resources: { requests: { cpu: '100m' }, limits: { memory: '64Mi' } } }], [{ name: 'init', resources: { requests: { cpu: '2' }, limits: { memory: '128Mi' } } }]);
    assert.deepEqual(podCgroupValues(withInit), { cpuShares: 2048, memoryLimitBytes: 128 * MiB });
    assert.equal(burstableShares([partial, withInit, pod('e', [{ name: 'a' }])]), milliCpuToShares(2100));
  });

  test('BestEffort: the minimum shares only', () => {
    assert.deepEqual(podCgroupValues(pod('e', [{ name: 'a' }])), { cpuShares: 2 });
  });

  test('oom_score_adj by QoS class and memory request', () => {
    const burstable: Container = { name: 'a', resources: { requests: { memory: '1Gi' } } };
    assert.equal(containerOomScoreAdjust(pod('b', [burstable]), burstable, 4 * GiB), 750);
    const huge: Container = { name: 'a', resources: { requests: { memory: '4Gi' } } };
    assert.equal(containerOomScoreAdjust(pod('b', [huge]), huge, 4 * GiB), 3);
    const tiny: Container = { name: 'a', resources: { requests: { memory: '1' } } };
    assert.equal(containerOomScoreAdjust(pod('b', [tiny]), tiny, 4 * GiB), 999);
    const sidecar: Container = { name: 's', restartPolicy: 'Always', resources: { requests: { memory: '1' } } };
    assert.equal(containerOomScoreAdjust(pod('b', [burstable], [sidecar]), sidecar, 4 * GiB), 750);
  });
});

describe('PodCgroups on a cgroup v1 layout', () => {
  const dirs: string[] = [];
  after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  async function fakeCgroupFs(): Promise<string> {
    const root = await mkdtemp(join(tmpdir(), 'k8ts-cgroupfs-'));
    dirs.push(root);
    await mkdir(join(root, 'cpu'));
    await mkdir(join(root, 'memory'));
    await writeFile(join(root, 'cpu', 'cpu.shares'), '1024');
    await writeFile(join(root, 'memory', 'memory.limit_in_bytes'), '9223372036854771712');
    return root;
  }

  test('creates the QoS and pod cgroups with their values and removes the pod cgroup again', async () => {
    const fs = await fakeCgroupFs();
    const cgroups = new PodCgroups('/k8ts-t', { milliCpu: 2000, memoryBytes: 8 * GiB }, fs);
    const p = pod('u1', [{ name: 'a', resources: { requests: { cpu: '250m' }, limits: { memory: '16Mi' } } }]);
    assert.equal(await cgroups.ensurePod(p), '/k8ts-t/kubepods/burstable/podu1');
    const read = (path: string): Promise<string> => readFile(join(fs, path), 'utf8');
    assert.equal(await read('memory/k8ts-t/kubepods/burstable/podu1/memory.limit_in_bytes'), String(16 * MiB));
    assert.equal(await read('cpu/k8ts-t/kubepods/burstable/podu1/cpu.shares'), '256');
    assert.equal(await read('cpu/k8ts-t/kubepods/burstable/cpu.shares'), '256');
    assert.equal(await read('cpu/k8ts-t/kubepods/besteffort/cpu.shares'), '2');
    assert.equal(await read('cpu/k8ts-t/kubepods/cpu.shares'), '2048');
    assert.equal(await read('memory/k8ts-t/kubepods/memory.limit_in_bytes'), String(8 * GiB));
    // A plain directory stands in for a cgroup: removal of files is the kernel's job, so empty it first.
    await rm(join(fs, 'cpu/k8ts-t/kubepods/burstable/podu1/cpu.shares'));
    await rm(join(fs, 'memory/k8ts-t/kubepods/burstable/podu1/memory.limit_in_bytes'));
    assert.equal(await cgroups.removePod('u1'), true);
    await assert.rejects(stat(join(fs, 'cpu/k8ts-t/kubepods/burstable/podu1')), { code: 'ENOENT' });
    assert.equal(await read('cpu/k8ts-t/kubepods/burstable/cpu.shares'), '2');
  });

  test('a host without cgroup v1 hierarchies gets no cgroup parent', async () => {
    const fs = await mkdtemp(join(tmpdir(), 'k8ts-cgroupfs-'));
    dirs.push(fs);
    const cgroups = new PodCgroups('/k8ts-t', { milliCpu: 2000, memoryBytes: GiB }, fs);
    assert.equal(await cgroups.ensurePod(pod('u2', [{ name: 'a' }])), undefined);
  });
});
