import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerStats, PodSandboxStats } from '../../runtime/cri/types.js';
import { podUsageFromStats } from './podUsage.js';

function containerStats(uid: string, name: string, workingSet: number | undefined, disk: number): ContainerStats {
  return {
    attributes: { id: `${uid}-${name}`, metadata: { name }, labels: { 'io.kubernetes.pod.uid': uid, 'io.kubernetes.container.name': name }, annotations: {} },
    memory: workingSet === undefined ? null : { workingSetBytes: { value: String(workingSet) } },
    writableLayer: { usedBytes: { value: String(disk) }, inodesUsed: { value: '7' } },
  };
}

test('container stats group by pod uid and container name; of several attempts the largest usage counts', () => {
  const sandboxes: PodSandboxStats[] = [
    { attributes: { id: 's1', metadata: null, labels: { 'io.kubernetes.pod.uid': 'p1' }, annotations: {} }, linux: { process: { processCount: { value: '4' } }, containers: [] } },
    { attributes: { id: 's2', metadata: null, labels: { 'io.kubernetes.pod.uid': 'p2' }, annotations: {} }, linux: null },
  ];
  const usage = podUsageFromStats([
    containerStats('p1', 'app', 100, 10),
    containerStats('p1', 'app', undefined, 30),
    containerStats('p1', 'side', 5, 0),
    containerStats('p2', 'web', 1, 1),
  ], sandboxes);
  assert.deepEqual(usage.get('p1'), {
    containers: [{ name: 'app', memoryWorkingSetBytes: 100, diskBytes: 30, inodes: 7 }, { name: 'side', memoryWorkingSetBytes: 5, diskBytes: 0, inodes: 7 }],
    processes: 4,
  });
  assert.equal(usage.get('p2')?.processes, 0);
});
