/**
 * How many nodes a cycle filters (upstream numFeasibleNodesToFind) and the cycle's
 * node iteration resuming where the previous one stopped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { SchedulerCache } from './cache/cache.js';
import { Snapshot } from './cache/snapshot.js';
import { DEFAULT_PROFILE } from './defaultProfile.js';
import { CycleState } from './framework/cycleState.js';
import type { SchedulerHandle } from './framework/profile.js';
import { Framework } from './framework/runtime.js';
import { NodeCursor, numFeasibleNodesToFind, schedulePod } from './schedulePod.js';

test('all nodes below 100; adaptive 50 - nodes/125 percent, at least 5 percent and 100 nodes', () => {
  assert.equal(numFeasibleNodesToFind(99), 99);
  assert.equal(numFeasibleNodesToFind(150), 100);
  assert.equal(numFeasibleNodesToFind(500), 230);
  assert.equal(numFeasibleNodesToFind(5000), 500);
  assert.equal(numFeasibleNodesToFind(10000), 500);
  assert.equal(numFeasibleNodesToFind(1000, 30), 300);
});

test('a cycle evaluates only enough nodes and the next one starts after them', () => {
  const cache = new SchedulerCache();
  const snapshot = new Snapshot();
  const allocatable = { cpu: '4', memory: '8Gi', pods: '110' };
  for (let i = 0; i < 300; i++) cache.setNode({ metadata: { name: `n${i}` }, status: { allocatable } });
  const fw = new Framework(DEFAULT_PROFILE, { snapshot: () => snapshot } as unknown as SchedulerHandle);
  const cursor = new NodeCursor();
  const pod: Pod = { metadata: { name: 'p', uid: 'u' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  cache.updateSnapshot(snapshot);
  const first = schedulePod(fw, new CycleState(), pod, snapshot, cursor);
  assert.equal(first.kind, 'scheduled');
  assert.equal(first.kind === 'scheduled' && first.evaluatedNodes, 144, '48 percent (50 - 300/125) of 300 nodes');
  assert.equal(cursor.next, 144);
  schedulePod(fw, new CycleState(), pod, snapshot, cursor);
  assert.equal(cursor.next, 288);
});
