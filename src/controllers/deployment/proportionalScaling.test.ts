/** Proportional scaling of a rolling deployment's ReplicaSets, as upstream's `scale` sizes them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeploymentObject, ReplicaSetObject } from './objects.js';
import { isSaturated, proportionalSizes } from './proportionalScaling.js';
import { DESIRED_REPLICAS, MAX_REPLICAS } from './revisionAnnotations.js';

const deployment = (replicas: number, statusReplicas: number): DeploymentObject => ({
  metadata: { name: 'd' },
  spec: { replicas, selector: {}, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } },
  status: { replicas: statusReplicas },
});
const set = (name: string, replicas: number, created: string, max?: number): ReplicaSetObject => ({
  metadata: { name, creationTimestamp: created, annotations: max === undefined ? {} : { [MAX_REPLICAS]: String(max) } },
  spec: { replicas, selector: {} },
});

test('scaling up spreads the difference by each set’s share of max-replicas', () => {
  const sizes = proportionalSizes(deployment(30, 13), [set('old', 8, '2026-01-01T00:00:00Z', 13), set('new', 5, '2026-01-01T00:01:00Z', 13)]);
  assert.deepEqual(Object.fromEntries(sizes), { old: 20, new: 13 });
});

test('scaling down takes from the larger sets; rounding leftovers go to the first set', () => {
  const sizes = proportionalSizes(deployment(5, 13), [set('old', 8, '2026-01-01T00:00:00Z', 13), set('new', 5, '2026-01-01T00:01:00Z', 13)]);
  assert.deepEqual(Object.fromEntries(sizes), { old: 5, new: 3 });
  const toZero = proportionalSizes(deployment(0, 13), [set('old', 8, '2026-01-01T00:00:00Z', 13), set('new', 5, '2026-01-01T00:01:00Z', 13)]);
  assert.deepEqual(Object.fromEntries(toZero), { old: 0, new: 0 });
});

test('without a max-replicas annotation the share is read from status.replicas', () => {
  const sizes = proportionalSizes(deployment(20, 10), [set('old', 6, '2026-01-01T00:00:00Z'), set('new', 4, '2026-01-01T00:01:00Z')]);
  assert.deepEqual(Object.fromEntries(sizes), { old: 14, new: 9 });
});

test('a new set is saturated when it runs, wants and has available all replicas', () => {
  const withAvailable = (availableReplicas: number): ReplicaSetObject => ({
    metadata: { name: 'new', annotations: { [DESIRED_REPLICAS]: '3' } },
    spec: { replicas: 3, selector: {} },
    status: { replicas: 3, availableReplicas },
  });
  assert.equal(isSaturated(deployment(3, 3), withAvailable(3)), true);
  assert.equal(isSaturated(deployment(3, 3), withAvailable(2)), false);
});
