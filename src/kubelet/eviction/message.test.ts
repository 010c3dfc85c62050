import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseQuantity, Quantity } from '../../api/quantity.js';
import { evictedStatus, evictionMessage } from './message.js';

const Mi = 1024 * 1024;
const pod: Pod = {
  metadata: { name: 'web', uid: 'u1' },
  spec: { containers: [{ name: 'app', resources: {} }, { name: 'sidecar', resources: { requests: { memory: '64Mi' } } }, { name: 'quiet' }] },
};
const usage = {
  containers: [
    { name: 'app', memoryWorkingSetBytes: 20 * Mi, diskBytes: 3 * Mi, inodes: 0 },
    { name: 'sidecar', memoryWorkingSetBytes: 10 * Mi, diskBytes: 0, inodes: 0 },
    { name: 'quiet', memoryWorkingSetBytes: 0, diskBytes: 0, inodes: 0 },
  ],
  processes: 3,
};

test('the memory message names the node shortage and each container above its request', () => {
  const message = evictionMessage(pod, { resource: 'memory', threshold: parseQuantity('100Mi'), available: Quantity.fromInteger(50 * Mi, 'BinarySI') }, usage);
  assert.equal(message, 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container app was using 20Mi, request is 0, has larger consumption of memory. ');
});

test('the ephemeral-storage message uses disk usage; other resources name no containers', () => {
  const disk = evictionMessage(pod, { resource: 'ephemeral-storage', threshold: parseQuantity('1Gi'), available: Quantity.fromInteger(Mi, 'BinarySI') }, usage);
  assert.equal(disk, 'The node was low on resource: ephemeral-storage. Threshold quantity: 1Gi, available: 1Mi. Container app was using 3Mi, request is 0, has larger consumption of ephemeral-storage. ');
  const pids = evictionMessage(pod, { resource: 'pids', threshold: parseQuantity('100'), available: Quantity.fromInteger(50) }, usage);
  assert.equal(pids, 'The node was low on resource: pids. Threshold quantity: 100, available: 50. ');
});

test('an evicted pod is Failed/Evicted with a DisruptionTarget condition carrying the message', () => {
  const status = evictedStatus('low', Date.UTC(2024, 0, 2, 3, 4, 5));
  assert.deepEqual(status, {
    phase: 'Failed',
    reason: 'Evicted',
    message: 'low',
    conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: 'low', lastTransitionTime: '2024-01-02T03:04:05Z' }],
  });
});
