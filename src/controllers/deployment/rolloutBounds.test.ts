/** maxSurge/maxUnavailable resolution as upstream rounds it, and the size a new ReplicaSet may grow to. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newReplicaSetSize } from './newReplicaSet.js';
import type { DeploymentObject, ReplicaSetObject } from './objects.js';
import { maxSurge, maxUnavailable, minAvailable, resolveFenceposts, scaledValue } from './rolloutBounds.js';

const rolling = (replicas: number, surge: number | string, unavailable: number | string): DeploymentObject => ({
  metadata: { name: 'd' },
  spec: { replicas, selector: {}, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } },
});
const set = (name: string, replicas: number): ReplicaSetObject => ({ metadata: { name }, spec: { replicas, selector: {} } });

test('percentages round up for surge and down for unavailability', () => {
  assert.equal(scaledValue('25%', 10, true), 3);
  assert.equal(scaledValue('25%', 10, false), 2);
  assert.equal(scaledValue(4, 10, true), 4);
  assert.throws(() => scaledValue('25', 10, true), /not a percentage/);
  assert.deepEqual(resolveFenceposts('25%', '25%', 3), [1, 0]);
  assert.deepEqual(resolveFenceposts('10%', '10%', 3), [1, 0]);
  assert.deepEqual(resolveFenceposts(0, '10%', 3), [0, 1], 'both zero: one may be unavailable');
});

test('maxUnavailable is capped at replicas; Recreate allows neither surge nor unavailability', () => {
  assert.equal(maxUnavailable(rolling(2, 1, 5)), 2);
  assert.equal(minAvailable(rolling(10, '25%', '25%')), 8);
  assert.equal(maxSurge(rolling(10, '25%', '25%')), 3);
  const recreate: DeploymentObject = { metadata: { name: 'r' }, spec: { replicas: 3, selector: {}, template: {}, strategy: { type: 'Recreate' } } };
  assert.equal(maxSurge(recreate), 0);
  assert.equal(maxUnavailable(recreate), 0);
  assert.equal(newReplicaSetSize(recreate, [set('old', 3)], set('new', 0)), 3);
});

test('the new ReplicaSet grows only within replicas + maxSurge', () => {
  const d = rolling(10, 3, 2);
  assert.equal(newReplicaSetSize(d, [set('old', 10), set('new', 0)], set('new', 0)), 3);
  assert.equal(newReplicaSetSize(d, [set('old', 8), set('new', 3)], set('new', 3)), 5);
  assert.equal(newReplicaSetSize(d, [set('old', 13), set('new', 0)], set('new', 0)), 0);
  assert.equal(newReplicaSetSize(d, [set('old', 0), set('new', 9)], set('new', 9)), 10);
});
