import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pressureTaints } from './pressureTaints.js';

const none = { memory: false, disk: false, pid: false };

test('pressure adds its NoSchedule taint next to the taints already there', () => {
  const taints = pressureTaints([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], { ...none, memory: true, pid: true });
  assert.deepEqual(taints, [
    { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', effect: 'NoSchedule' },
  ]);
});

test('a pressure gone removes its taint; no change is undefined', () => {
  const current = [{ key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' }, { key: 'other', effect: 'NoExecute' }];
  assert.deepEqual(pressureTaints(current, none), [{ key: 'other', effect: 'NoExecute' }]);
  assert.equal(pressureTaints(current, { ...none, disk: true }), undefined);
  assert.equal(pressureTaints(undefined, none), undefined);
});
