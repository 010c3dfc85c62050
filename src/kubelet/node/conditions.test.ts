import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeCondition } from 'kubernetes-types/core/v1.js';
import { conditionsChanged, formatTime, updateConditions } from './conditions.js';
import { SettableNodeSignals, networkNotReady, RUNTIME_DOWN } from './signals.js';

const capacity = { cpu: '2', memory: '1Gi', pods: '110' };
const t0 = Date.UTC(2026, 0, 1);
const byType = (list: NodeCondition[], type: string): NodeCondition => {
  const found = list.find((c) => c.type === type);
  assert.ok(found, `condition ${type}`);
  return found;
};

test('a healthy node reports the four conditions in upstream order with upstream reasons', () => {
  const conditions = updateConditions(undefined, new SettableNodeSignals(), capacity, t0);
  assert.deepEqual(
    conditions.map((c) => [c.type, c.status, c.reason, c.message]),
    [
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
    ],
  );
  for (const c of conditions) assert.deepEqual([c.lastHeartbeatTime, c.lastTransitionTime], ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z']);
});

test('heartbeat moves every pass; transition time only when the status changes', () => {
  const signals = new SettableNodeSignals();
  const first = updateConditions(undefined, signals, capacity, t0);
  const second = updateConditions(first, signals, capacity, t0 + 10_000);
  assert.equal(byType(second, 'Ready').lastHeartbeatTime, formatTime(t0 + 10_000));
  assert.equal(byType(second, 'Ready').lastTransitionTime, formatTime(t0));
  assert.equal(conditionsChanged(first, second), false);

  signals.setErrors('network', [networkNotReady('NetworkPluginNotReady', 'Network plugin returns error: cni plugin not initialized')]);
  signals.setPressure({ memory: true });
  const third = updateConditions(second, signals, capacity, t0 + 20_000);
  assert.equal(conditionsChanged(second, third), true);
  assert.deepEqual(byType(third, 'Ready'), {
    type: 'Ready',
    status: 'False',
    reason: 'KubeletNotReady',
    message: 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
    lastHeartbeatTime: formatTime(t0 + 20_000),
    lastTransitionTime: formatTime(t0 + 20_000),
  });
  assert.equal(byType(third, 'MemoryPressure').reason, 'KubeletHasInsufficientMemory');
  assert.equal(byType(third, 'MemoryPressure').status, 'True');
  assert.equal(byType(third, 'DiskPressure').lastTransitionTime, formatTime(t0));
});

test('several not-ready errors aggregate as upstream does; missing capacity keeps the node not ready', () => {
  const signals = new SettableNodeSignals();
  signals.setErrors('runtime', [RUNTIME_DOWN]);
  signals.setErrors('network', [networkNotReady('NetworkPluginNotReady', 'no CNI')]);
  const ready = byType(updateConditions(undefined, signals, { cpu: '2' }, t0), 'Ready');
  assert.equal(
    ready.message,
    '[container runtime is down, container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:no CNI, missing node capacity for resources: memory, pods]',
  );
});

test('conditions set by others keep their place and content', () => {
  const foreign: NodeCondition = { type: 'KernelDeadlock', status: 'False', reason: 'KernelHasNoDeadlock', message: 'ok' };
  const conditions = updateConditions([foreign], new SettableNodeSignals(), capacity, t0);
  assert.deepEqual(conditions[0], foreign);
  assert.equal(conditions.length, 5);
});
