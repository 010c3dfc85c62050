import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../client/index.js';
import { parseEvictionHard, type EvictionSignal } from '../node/evictionThresholds.js';
import { SettableNodeSignals } from '../node/signals.js';
import { EvictionManager } from './manager.js';
import type { SignalObservation } from './observations.js';
import type { PodUsage } from './ranking.js';

const Mi = 1024 * 1024;

function pod(name: string, memoryRequest?: string): Pod {
  const resources = memoryRequest === undefined ? {} : { requests: { memory: memoryRequest }, limits: { memory: memoryRequest } };
  return { metadata: { name, uid: name }, spec: { containers: [{ name: 'main', resources }] } };
}

/** A manager over fake signals, stats and pods; `available` is memory.available in bytes. */
function setUp(pods: Pod[]) {
  const clock = new FakeClock();
  const signals = new SettableNodeSignals();
  const state = { available: 500 * Mi, active: [...pods] };
  const evictions: { pod: string; status: PodStatus; grace: number }[] = [];
  const events: { pod: string; reason: string; message: string }[] = [];
  const usage = new Map<string, PodUsage>(pods.map((p) => [p.metadata?.uid ?? '', {
    containers: [{ name: 'main', memoryWorkingSetBytes: 20 * Mi, diskBytes: 0, inodes: 0 }],
    processes: 1,
  }]));
  const manager = new EvictionManager({
    thresholds: parseEvictionHard('memory.available<100Mi'),
    clock,
    observe: async () => new Map<EvictionSignal, SignalObservation>([['memory.available', { available: state.available, capacity: 1024 * Mi }]]),
    podUsage: async () => usage,
    pods: {
      activePods: () => state.active,
      evictPod: (p, status, grace) => {
        evictions.push({ pod: p.metadata?.name ?? '', status, grace });
        state.active = state.active.filter((a) => a !== p);
      },
    },
    pressure: signals,
    recordEvent: (p, reason, message) => events.push({ pod: p.metadata?.name ?? '', reason, message }),
    pressureTransitionPeriodMs: 60_000,
  });
  return { clock, signals, state, evictions, events, manager };
}

test('no threshold met: no pressure, no eviction', async () => {
  const { manager, signals, evictions } = setUp([pod('a')]);
  const pass = await manager.synchronize();
  assert.equal(pass.evicted, undefined);
  assert.equal(signals.memoryPressure(), false);
  assert.deepEqual(evictions, []);
});

test('a met threshold raises MemoryPressure and evicts one pod per pass, BestEffort first, with grace 0', async () => {
  const { manager, signals, state, evictions, events } = setUp([pod('guaranteed', '64Mi'), pod('best-effort')]);
  state.available = 50 * Mi;
  await manager.synchronize();
  assert.equal(signals.memoryPressure(), true);
  assert.deepEqual(evictions.map((e) => [e.pod, e.grace]), [['best-effort', 0]]);
  const message = 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container main was using 20Mi, request is 0, has larger consumption of memory. ';
  assert.equal(evictions[0]?.status.message, message);
  assert.equal(evictions[0]?.status.reason, 'Evicted');
  assert.deepEqual(events, [{ pod: 'best-effort', reason: 'Evicted', message }]);
  await manager.synchronize();
  assert.deepEqual(evictions.map((e) => e.pod), ['best-effort', 'guaranteed']);
  assert.match(evictions[1]?.status.message ?? '', /available: 50Mi\. $/, 'a container within its request is not named');
});

test('pressure clears only after the transition period', async () => {
  const { manager, signals, state, clock } = setUp([]);
  state.available = 50 * Mi;
  await manager.synchronize();
  state.available = 500 * Mi;
  clock.step(30_000);
  await manager.synchronize();
  assert.equal(signals.memoryPressure(), true);
  clock.step(31_000);
  await manager.synchronize();
  assert.equal(signals.memoryPressure(), false);
});

test('critical pods are not evicted', async () => {
  const critical: Pod = { metadata: { name: 'critical', uid: 'critical' }, spec: { priorityClassName: 'system-node-critical', priority: 2_000_001_000, containers: [{ name: 'main' }] } };
  const { manager, state, evictions } = setUp([critical]);
  state.available = 0;
  const pass = await manager.synchronize();
  assert.equal(pass.evicted, undefined);
  assert.deepEqual(evictions, []);
});
