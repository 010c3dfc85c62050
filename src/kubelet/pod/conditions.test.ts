import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import { containersReadyCondition, initializedCondition, podConditions, podReadyCondition } from './conditions.js';

const status = (name: string, ready: boolean, extra: Partial<ContainerStatus> = {}): ContainerStatus =>
  ({ name, image: 'i', imageID: '', ready, restartCount: 0, state: { running: {} }, ...extra });
const done = (name: string): ContainerStatus =>
  ({ name, image: 'i', imageID: '', ready: true, restartCount: 0, state: { terminated: { exitCode: 0 } } });

function pod(containers: string[], init: string[] = [], sidecars: string[] = [], gates: string[] = []): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns' },
    spec: {
      containers: containers.map((name) => ({ name })),
      initContainers: [...init.map((name) => ({ name })), ...sidecars.map((name) => ({ name, restartPolicy: 'Always' }))],
      readinessGates: gates.map((conditionType) => ({ conditionType })),
    },
  };
}

test('ContainersReady', async (t) => {
  const p = pod(['a', 'b']);
  await t.test('unknown statuses', () =>
    assert.deepEqual(containersReadyCondition(p, undefined, 'Running'), { type: 'ContainersReady', status: 'False', reason: 'UnknownContainerStatuses' }));
  await t.test('all ready', () =>
    assert.deepEqual(containersReadyCondition(p, [status('a', true), status('b', true)], 'Running'), { type: 'ContainersReady', status: 'True' }));
  await t.test('unready and unknown containers listed like Go slices', () =>
    assert.deepEqual(containersReadyCondition(pod(['a', 'b', 'c']), [status('a', false), status('b', false)], 'Running'), {
      type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady',
      message: 'containers with unknown status: [c], containers with unready status: [a b]',
    }));
  await t.test('succeeded pod is PodCompleted', () =>
    assert.deepEqual(containersReadyCondition(p, [status('a', false), status('b', false)], 'Succeeded'), { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' }));
  await t.test('failed pod is PodFailed', () =>
    assert.deepEqual(containersReadyCondition(p, [status('a', true), status('b', true)], 'Failed'), { type: 'ContainersReady', status: 'False', reason: 'PodFailed' }));
  await t.test('sidecars count, regular init containers do not', () => {
    const q = pod(['a'], ['i'], ['s']);
    assert.deepEqual(containersReadyCondition(q, [status('i', false), status('s', false), status('a', true)], 'Running').message,
      'containers with unready status: [s]');
  });
});

test('Ready follows ContainersReady, then readiness gates', async (t) => {
  const p = pod(['a'], [], [], ['example.com/lb', 'example.com/dns']);
  await t.test('containers not ready', () =>
    assert.deepEqual(podReadyCondition(p, [], [status('a', false)], 'Running'), {
      type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [a]',
    }));
  await t.test('gates missing or false', () =>
    assert.deepEqual(podReadyCondition(p, [{ type: 'example.com/dns', status: 'False' }], [status('a', true)], 'Running'), {
      type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady',
      message: 'corresponding condition of pod readiness gate "example.com/lb" does not exist., the status of pod readiness gate "example.com/dns" is not "True", but False',
    }));
  await t.test('gates true', () =>
    assert.deepEqual(podReadyCondition(p, [{ type: 'example.com/dns', status: 'True' }, { type: 'example.com/lb', status: 'True' }], [status('a', true)], 'Running'),
      { type: 'Ready', status: 'True' }));
});

test('Initialized', async (t) => {
  const p = pod(['a'], ['i1', 'i2']);
  await t.test('no init containers: True', () => assert.deepEqual(initializedCondition(pod(['a']), undefined, 'Pending'), { type: 'Initialized', status: 'True' }));
  await t.test('unknown statuses with init containers', () =>
    assert.equal(initializedCondition(p, undefined, 'Pending').reason, 'UnknownContainerStatuses'));
  await t.test('incomplete and unknown', () =>
    assert.deepEqual(initializedCondition(p, [status('i1', false)], 'Pending'), {
      type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized',
      message: 'containers with unknown status: [i2], containers with incomplete status: [i1]',
    }));
  await t.test('all init containers succeeded', () =>
    assert.deepEqual(initializedCondition(p, [done('i1'), done('i2')], 'Pending'), { type: 'Initialized', status: 'True' }));
  await t.test('succeeded pod: PodCompleted', () =>
    assert.deepEqual(initializedCondition(p, [done('i1'), done('i2')], 'Succeeded'), { type: 'Initialized', status: 'True', reason: 'PodCompleted' }));
  await t.test('a sidecar counts once started, not when ready', () => {
    const q = pod(['a'], [], ['s']);
    assert.equal(initializedCondition(q, [status('s', false, { started: false })], 'Pending').status, 'False');
    assert.equal(initializedCondition(q, [status('s', false, { started: true })], 'Pending').status, 'True');
  });
  await t.test('a regular container already started keeps it initialized while a sidecar restarts', () => {
    const q = pod(['a'], [], ['s']);
    assert.equal(initializedCondition(q, [status('s', false, { started: false }), status('a', true)], 'Running').status, 'True');
  });
});

test('podConditions: order, other conditions kept, transition times kept when unchanged', () => {
  const t0 = Date.parse('2024-01-01T00:00:00Z');
  const p: Pod = { ...pod(['a']), status: {
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: '2023-12-31T23:59:00Z' },
      { type: 'Ready', status: 'False', lastTransitionTime: '2023-12-31T23:59:30Z', reason: 'ContainersNotReady' },
      { type: 'Initialized', status: 'True', lastTransitionTime: '2023-12-31T23:59:10Z' },
    ],
  } };
  const got = podConditions(p, { statuses: [status('a', true)], phase: 'Running', sandboxReady: true, now: t0 + 1500 });
  assert.deepEqual(got, [
    { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-01-01T00:00:01Z' },
    { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: '2023-12-31T23:59:10Z' },
    { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-01-01T00:00:01Z' },
    { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-01-01T00:00:01Z' },
    { type: 'PodScheduled', status: 'True', lastTransitionTime: '2023-12-31T23:59:00Z' },
  ]);
});

test('podConditions adds PodScheduled for a pod that never had one', () => {
  const got = podConditions(pod(['a']), { statuses: [], phase: 'Pending', sandboxReady: false, now: 0 });
  assert.deepEqual(got.map((c) => `${c.type}=${c.status}`),
    ['PodReadyToStartContainers=False', 'Initialized=True', 'Ready=False', 'ContainersReady=False', 'PodScheduled=True']);
  assert.equal(got[3]?.message, 'containers with unknown status: [a]');
});
