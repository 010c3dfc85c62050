import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { meminfoWorkingSetBytes, observeNode, taskCount, workingSetBytes } from './observations.js';

test('the working set is cgroup usage minus inactive file pages, never negative', () => {
  assert.equal(workingSetBytes(1000, 'cache 10\ntotal_inactive_file 300\n'), 700);
  assert.equal(workingSetBytes(100, 'total_inactive_file 300\n'), 0);
  assert.equal(workingSetBytes(100, 'inactive_file 40\n'), 60);
});

test('without a cgroup v1 root the working set comes from meminfo', () => {
  assert.equal(meminfoWorkingSetBytes('MemTotal: 1000 kB\nMemFree: 200 kB\nInactive(file): 100 kB\n'), 700 * 1024);
});

test('the task count is the total of /proc/loadavg', () => {
  assert.equal(taskCount('0.10 0.20 0.30 2/345 6789\n'), 345);
});

test('observing a node reads memory from the cgroup, processes from loadavg and filesystems with statfs', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-observe-'));
  try {
    await mkdir(join(dir, 'memory'));
    await mkdir(join(dir, 'proc'));
    await writeFile(join(dir, 'memory', 'memory.usage_in_bytes'), '4000\n');
    await writeFile(join(dir, 'memory', 'memory.stat'), 'total_inactive_file 1000\n');
    await writeFile(join(dir, 'proc', 'loadavg'), '0.00 0.00 0.00 1/100 1\n');
    const observed = await observeNode(
      { nodefsDir: dir, imagefsDir: dir, memoryCgroupDir: join(dir, 'memory'), procDir: join(dir, 'proc') },
      { memoryBytes: 10_000, pidMax: 4096 },
    );
    assert.deepEqual(observed.get('memory.available'), { available: 7000, capacity: 10_000 });
    assert.deepEqual(observed.get('pid.available'), { available: 3996, capacity: 4096 });
    const nodefs = observed.get('nodefs.available');
    assert.ok(nodefs !== undefined && nodefs.capacity > 0 && nodefs.available <= nodefs.capacity);
    assert.deepEqual(observed.get('imagefs.available'), nodefs);
    assert.ok((observed.get('nodefs.inodesFree')?.capacity ?? 0) > 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
