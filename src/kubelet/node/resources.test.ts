import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuantity } from '../../api/quantity.js';
import { DEFAULT_EVICTION_HARD, parseEvictionHard } from './evictionThresholds.js';
import type { MachineInfo } from './machine.js';
import { memTotalBytes, prettyName } from './machine.js';
import { allocatable, machineCapacity, parseResourceListFlag, resourceListOf } from './resources.js';

const machine: MachineInfo = {
  cpuCount: 2,
  memoryBytes: 24558436 * 1024,
  ephemeralStorageBytes: 100 * 1024 ** 3,
  ephemeralStorageInodes: 6_553_600,
  pidMax: 4_194_304,
  hugePageSizes: [2 * 1024 ** 2, 1024 ** 3],
  machineID: 'm',
  systemUUID: 'u',
  bootID: 'b',
  kernelVersion: '6.1.0',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  architecture: 'amd64',
  operatingSystem: 'linux',
};

test('capacity is reported in upstream formats, one zero entry per huge page size', () => {
  assert.deepEqual(resourceListOf(machineCapacity(machine)), {
    cpu: '2',
    memory: '24558436Ki',
    'ephemeral-storage': '100Gi',
    pods: '110',
    'hugepages-2Mi': '0',
    'hugepages-1Gi': '0',
  });
});

test('with no reservations allocatable equals capacity', () => {
  const capacity = machineCapacity(machine);
  assert.deepEqual(resourceListOf(allocatable(capacity)), resourceListOf(capacity));
});

test('allocatable = capacity − kube-reserved − system-reserved − hard eviction (memory, nodefs)', () => {
  const capacity = machineCapacity(machine);
  const result = resourceListOf(
    allocatable(capacity, {
      kubeReserved: parseResourceListFlag('cpu=100m,memory=256Mi,ephemeral-storage=1Gi'),
      systemReserved: parseResourceListFlag('cpu=200m,memory=100Mi'),
      evictionHard: parseEvictionHard(DEFAULT_EVICTION_HARD),
    }),
  );
  assert.equal(result.cpu, '1700m');
  // 24558436Ki − 256Mi − 100Mi − 100Mi (memory.available)
  assert.equal(result.memory, `${24558436 - 456 * 1024}Ki`);
  // 100Gi − 1Gi − 10% of 100Gi, the 10% taken as upstream's float32 fraction
  const tenth = Math.trunc(100 * 1024 ** 3 * Math.fround(Math.fround(10) / 100));
  assert.equal(parseQuantity(result['ephemeral-storage'] ?? '').value(), 99 * 1024 ** 3 - tenth);
  assert.equal(result.pods, '110');
});

test('allocatable never goes below zero and memory loses huge page capacity', () => {
  const capacity = machineCapacity({ ...machine, hugePageSizes: [] });
  capacity['hugepages-2Mi'] = parseQuantity('1Gi');
  const result = resourceListOf(allocatable(capacity, { kubeReserved: parseResourceListFlag('cpu=3') }));
  assert.equal(result.cpu, '0');
  assert.equal(result.memory, `${24558436 - 1024 * 1024}Ki`);
});

test('eviction thresholds parse quantities and percentages and reject what upstream rejects', () => {
  const thresholds = parseEvictionHard(DEFAULT_EVICTION_HARD);
  assert.deepEqual(thresholds.map((t) => t.signal), ['memory.available', 'nodefs.available', 'imagefs.available', 'nodefs.inodesFree']);
  assert.equal(parseEvictionHard('').length, 0);
  assert.equal(parseEvictionHard('memory.available<0%').length, 0);
  assert.throws(() => parseEvictionHard('memory.available>1Gi'), /invalid eviction threshold syntax/);
  assert.throws(() => parseEvictionHard('cpu.available<1'), /unsupported eviction signal/);
  assert.throws(() => parseEvictionHard('memory.available<1Gi,memory.available<2Gi'), /duplicate/);
  assert.throws(() => parseEvictionHard('nodefs.available<120%'), /<= 100%/);
  assert.throws(() => parseResourceListFlag('cpu'), /expected name=quantity/);
});

test('machine facts parse /proc/meminfo and os-release', () => {
  assert.equal(memTotalBytes('MemTotal:       24558436 kB\nMemFree: 1 kB\n'), 24558436 * 1024);
  assert.equal(prettyName('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(prettyName(''), 'Linux');
});
