import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEvictionHard } from '../node/evictionThresholds.js';
import type { SignalObservation } from './observations.js';
import type { EvictionSignal } from '../node/evictionThresholds.js';
import { PressureConditions, conditionOf, resourceOf, thresholdQuantity, thresholdsMet } from './thresholds.js';

const Mi = 1024 * 1024;

test('a percentage threshold is that share of the capacity, in bytes or in counts', () => {
  const [nodefs, inodes] = parseEvictionHard('nodefs.available<10%,nodefs.inodesFree<5%');
  assert.ok(nodefs !== undefined && inodes !== undefined);
  // 10% is float32(0.1) as upstream parses it, a hair above a tenth.
  assert.equal(thresholdQuantity(nodefs, 1000 * Mi).toString(), '104857601');
  assert.equal(thresholdQuantity(nodefs, 1024).toString(), '102');
  assert.equal(thresholdQuantity(inodes, 1000).toString(), '50');
});

test('thresholds are met when the signal is below them, memory first', () => {
  const thresholds = parseEvictionHard('nodefs.available<10%,memory.available<100Mi,pid.available<100');
  const observations = new Map<EvictionSignal, SignalObservation>([
    ['nodefs.available', { available: 50 * Mi, capacity: 1000 * Mi }],
    ['memory.available', { available: 99 * Mi, capacity: 1000 * Mi }],
    ['pid.available', { available: 100, capacity: 4096 }],
  ]);
  assert.deepEqual(thresholdsMet(thresholds, observations).map((m) => m.threshold.signal), ['memory.available', 'nodefs.available']);
  assert.deepEqual(thresholdsMet(thresholds, new Map()), []);
});

test('signals map to upstream resources and node conditions', () => {
  assert.equal(resourceOf('memory.available'), 'memory');
  assert.equal(resourceOf('imagefs.available'), 'ephemeral-storage');
  assert.equal(resourceOf('nodefs.inodesFree'), 'inodes');
  assert.equal(resourceOf('pid.available'), 'pids');
  assert.equal(conditionOf('nodefs.inodesFree'), 'DiskPressure');
  assert.equal(conditionOf('pid.available'), 'PIDPressure');
  assert.equal(conditionOf('allocatableMemory.available'), 'MemoryPressure');
});

test('a pressure condition stays for the transition period after its threshold was last met', () => {
  const conditions = new PressureConditions(60_000);
  const [memory] = parseEvictionHard('memory.available<100Mi');
  assert.ok(memory !== undefined);
  const met = [{ threshold: memory, observation: { available: 0, capacity: Mi } }];
  assert.deepEqual([...conditions.observe(met, 0)], ['MemoryPressure']);
  assert.deepEqual([...conditions.observe([], 60_000)], ['MemoryPressure']);
  assert.deepEqual([...conditions.observe([], 60_001)], []);
});
