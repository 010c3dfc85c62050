import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import { podPhase } from './phase.js';

const T = '2024-01-01T00:00:00Z';
const running = (name: string, started = true): ContainerStatus =>
  ({ name, image: 'i', imageID: '', ready: false, restartCount: 0, started, state: { running: { startedAt: T } } });
const exited = (name: string, exitCode: number): ContainerStatus =>
  ({ name, image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode } } });
const waiting = (name: string): ContainerStatus =>
  ({ name, image: 'i', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } });
const restarting = (name: string, lastExit: number): ContainerStatus =>
  ({ ...waiting(name), lastState: { terminated: { exitCode: lastExit } } });
const noState = (name: string): ContainerStatus => ({ name, image: 'i', imageID: '', ready: false, restartCount: 0 });

function pod(restartPolicy: string, containers: string[], init: string[] = [], sidecars: string[] = []): Pod {
  const c = (name: string): Container => ({ name, image: 'i' });
  return {
    metadata: { name: 'p', namespace: 'ns' },
    spec: {
      restartPolicy,
      containers: containers.map(c),
      initContainers: [...sidecars.map((n) => ({ ...c(n), restartPolicy: 'Always' })), ...init.map(c)],
    },
  };
}

test('restartPolicy Always', async (t) => {
  const p = pod('Always', ['a', 'b']);
  const cases: [string, ContainerStatus[], string][] = [
    ['no statuses yet', [], 'Pending'],
    ['all running', [running('a'), running('b')], 'Running'],
    ['all stopped: restarting', [exited('a', 0), exited('b', 1)], 'Running'],
    ['one running, one stopped', [running('a'), exited('b', 0)], 'Running'],
    ['one running, one unknown', [running('a')], 'Pending'],
    ['one running, one waiting to start', [running('a'), waiting('b')], 'Pending'],
    ['one running, one restarting', [running('a'), restarting('b', 1)], 'Running'],
    ['a status without state is unknown', [running('a'), noState('b')], 'Pending'],
  ];
  for (const [name, statuses, want] of cases) {
    await t.test(name, () => assert.equal(podPhase(p, statuses, false), want));
  }
});

test('restartPolicy Never', async (t) => {
  const p = pod('Never', ['a', 'b']);
  const cases: [string, ContainerStatus[], string][] = [
    ['all running', [running('a'), running('b')], 'Running'],
    ['all succeeded', [exited('a', 0), exited('b', 0)], 'Succeeded'],
    ['one failed', [exited('a', 0), exited('b', 1)], 'Failed'],
    ['one running, one stopped', [running('a'), exited('b', 1)], 'Running'],
    ['one waiting', [running('a'), waiting('b')], 'Pending'],
  ];
  for (const [name, statuses, want] of cases) {
    await t.test(name, () => assert.equal(podPhase(p, statuses, false), want));
  }
});

test('restartPolicy OnFailure', async (t) => {
  const p = pod('OnFailure', ['a', 'b']);
  const cases: [string, ContainerStatus[], string][] = [
    ['all succeeded', [exited('a', 0), exited('b', 0)], 'Succeeded'],
    ['one failed: restarting', [exited('a', 0), exited('b', 1)], 'Running'],
    ['one failed and waiting to restart', [exited('a', 0), restarting('b', 1)], 'Running'],
    ['one running', [running('a'), exited('b', 0)], 'Running'],
  ];
  for (const [name, statuses, want] of cases) {
    await t.test(name, () => assert.equal(podPhase(p, statuses, false), want));
  }
});

test('a terminal pod is Succeeded or Failed regardless of restartPolicy Always', () => {
  const p = pod('Always', ['a', 'b']);
  assert.equal(podPhase(p, [exited('a', 0), exited('b', 0)], true), 'Succeeded');
  assert.equal(podPhase(p, [exited('a', 0), exited('b', 137)], true), 'Failed');
});

test('a terminal static pod keeps the restart-policy phase', () => {
  const p = pod('Always', ['a']);
  p.metadata = { ...p.metadata, annotations: { 'kubernetes.io/config.source': 'file' } };
  assert.equal(podPhase(p, [exited('a', 0)], true), 'Running');
});

test('init containers', async (t) => {
  const cases: [string, string, ContainerStatus[], string][] = [
    ['init running', 'Always', [running('i'), waiting('a')], 'Pending'],
    ['init waiting first time', 'Always', [waiting('i'), waiting('a')], 'Pending'],
    ['init missing', 'Always', [], 'Pending'],
    ['init failed, Never', 'Never', [exited('i', 1), waiting('a')], 'Failed'],
    ['init failed and restarting, Never', 'Never', [restarting('i', 1), waiting('a')], 'Failed'],
    ['init failed, Always: back in Pending', 'Always', [exited('i', 1), waiting('a')], 'Pending'],
    ['init failed, OnFailure', 'OnFailure', [restarting('i', 1), waiting('a')], 'Pending'],
    ['init done, container running', 'Always', [exited('i', 0), running('a')], 'Running'],
    ['init done, container waiting', 'Always', [exited('i', 0), waiting('a')], 'Pending'],
    ['init done, container succeeded, Never', 'Never', [exited('i', 0), exited('a', 0)], 'Succeeded'],
  ];
  for (const [name, policy, statuses, want] of cases) {
    await t.test(name, () => assert.equal(podPhase(pod(policy, ['a'], ['i']), statuses, false), want));
  }
});

test('sidecar (restartable) init containers', async (t) => {
  const cases: [string, string, ContainerStatus[], string][] = [
    ['sidecar running but not started', 'Always', [running('s', false), waiting('a')], 'Pending'],
    ['sidecar started, container waiting', 'Always', [running('s'), waiting('a')], 'Pending'],
    ['sidecar started, container running', 'Always', [running('s'), running('a')], 'Running'],
    ['sidecar status missing', 'Always', [running('a')], 'Pending'],
    ['sidecar waiting first time', 'Always', [waiting('s')], 'Pending'],
    ['sidecar restarting after containers ran: stays Running', 'Always', [restarting('s', 1), running('a')], 'Running'],
    ['sidecar crashed and not started again, containers running', 'Always', [running('s', false), running('a')], 'Running'],
    ['containers succeeded, sidecar stopped, Never', 'Never', [exited('s', 137), exited('a', 0)], 'Succeeded'],
    ['containers succeeded, sidecar still running, OnFailure', 'OnFailure', [running('s'), exited('a', 0)], 'Running'],
    ['container failed, sidecar stopped, Never', 'Never', [exited('s', 0), exited('a', 1)], 'Failed'],
  ];
  for (const [name, policy, statuses, want] of cases) {
    await t.test(name, () => assert.equal(podPhase(pod(policy, ['a'], [], ['s']), statuses, false), want));
  }
});

test('sidecar followed by a regular init container', () => {
  const p = pod('Always', ['a'], ['i'], ['s']);
  assert.equal(podPhase(p, [running('s'), running('i'), waiting('a')], false), 'Pending');
  assert.equal(podPhase(p, [running('s'), exited('i', 0), running('a')], false), 'Running');
});
