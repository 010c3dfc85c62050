import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { computePodActions, type PodActions } from './actions.js';
import type { RuntimeContainer, RuntimePodStatus, RuntimeSandbox } from './runtimeTypes.js';

const sandbox = (extra: Partial<RuntimeSandbox> = {}): RuntimeSandbox => ({ id: 'sb', state: 'ready', attempt: 0, createdAt: 0, ips: ['10.0.0.2'], ...extra });
let created = 0;
const inst = (name: string, state: RuntimeContainer['state'], extra: Partial<RuntimeContainer> = {}): RuntimeContainer =>
  ({ id: `${name}-${++created}`, name, state, createdAt: ++created, restartCount: 0, image: 'i', imageRef: 'r', ...extra });
const rt = (containers: RuntimeContainer[], sandboxes = [sandbox()]): RuntimePodStatus => ({ runtimeName: 'containerd', sandboxes, containers });

function pod(containers: string[], opts: { init?: Container[]; restartPolicy?: string } = {}): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', uid: 'u' },
    spec: { restartPolicy: opts.restartPolicy ?? 'Always', containers: containers.map((name) => ({ name, image: 'i' })), initContainers: opts.init ?? [] },
  };
}
const sidecar = (name: string, extra: Partial<Container> = {}): Container => ({ name, image: 'i', restartPolicy: 'Always', ...extra });
const initC = (name: string): Container => ({ name, image: 'i' });

function summary(a: PodActions): object {
  return { killPod: a.killPod, createSandbox: a.createSandbox, init: a.initContainersToStart, start: a.containersToStart, kill: a.containersToKill.map((k) => `${k.name}:${k.reason}:${k.message}`) };
}
const nothing = { killPod: false, createSandbox: false, init: [], start: [], kill: [] };

test('a new pod gets a sandbox and all its containers', () => {
  const a = computePodActions(pod(['a', 'b']), rt([], []));
  assert.deepEqual(summary(a), { killPod: true, createSandbox: true, init: [], start: [0, 1], kill: [] });
  assert.equal(a.sandboxAttempt, 0);
});

test('a new pod with init containers starts only the first init container', () => {
  assert.deepEqual(summary(computePodActions(pod(['a'], { init: [initC('i1'), initC('i2')] }), rt([], []))),
    { killPod: true, createSandbox: true, init: [0], start: [], kill: [] });
});

test('a dead sandbox is replaced with the next attempt', () => {
  const a = computePodActions(pod(['a']), rt([inst('a', 'exited', { exitCode: 0 })], [sandbox({ state: 'notready', attempt: 2 })]));
  assert.deepEqual([a.createSandbox, a.sandboxAttempt, a.containersToStart], [true, 3, [0]]);
});

test('a sandbox without an IP is replaced unless the pod uses the host network', () => {
  const noIp = rt([], [sandbox({ ips: [] })]);
  assert.equal(computePodActions(pod(['a']), noIp).createSandbox, true);
  const host = pod(['a']);
  assert.equal(computePodActions({ ...host, spec: { ...host.spec, containers: host.spec?.containers ?? [], hostNetwork: true } }, noIp).createSandbox, false);
});

test('restartPolicy Never: a dead sandbox of a pod that ran is not recreated', () => {
  const a = computePodActions(pod(['a'], { restartPolicy: 'Never' }), rt([inst('a', 'exited', { exitCode: 1 })], [sandbox({ state: 'notready' })]));
  assert.deepEqual(summary(a), { ...nothing, killPod: true });
});

test('OnFailure: a dead sandbox whose containers all succeeded is not recreated', () => {
  const a = computePodActions(pod(['a'], { restartPolicy: 'OnFailure' }), rt([inst('a', 'exited', { exitCode: 0 })], [sandbox({ state: 'notready' })]));
  assert.deepEqual(summary(a), { ...nothing, killPod: true });
});

test('running containers are kept', () => {
  assert.deepEqual(summary(computePodActions(pod(['a']), rt([inst('a', 'running')]))), nothing);
});

test('exited containers restart per restart policy', async (t) => {
  const cases: [string, number, number[], boolean][] = [
    ['Always', 0, [0], false], ['Always', 1, [0], false],
    ['OnFailure', 0, [], true], ['OnFailure', 1, [0], false],
    ['Never', 0, [], true], ['Never', 1, [], true],
  ];
  for (const [policy, exitCode, start, killPod] of cases) {
    await t.test(`${policy} after exit ${exitCode}`, () => {
      const a = computePodActions(pod(['a'], { restartPolicy: policy }), rt([inst('a', 'exited', { exitCode })]));
      assert.deepEqual([a.containersToStart, a.killPod], [start, killPod]);
    });
  }
});

test('a deleted pod never restarts containers', () => {
  const p = { ...pod(['a', 'b']), metadata: { name: 'p', deletionTimestamp: '2024-01-01T00:00:00Z' } };
  const a = computePodActions(p, rt([inst('a', 'running'), inst('b', 'exited', { exitCode: 1 })]));
  assert.deepEqual(a.containersToStart, []);
});

test('liveness failure kills and restarts (Always) or just kills (Never)', () => {
  const running = inst('a', 'running');
  const probes = { liveness: new Map([[running.id, 'failure' as const]]) };
  assert.deepEqual(summary(computePodActions(pod(['a']), rt([running]), { probes })),
    { ...nothing, start: [0], kill: ['a:livenessProbe:Container a failed liveness probe, will be restarted'] });
  assert.deepEqual(summary(computePodActions(pod(['a'], { restartPolicy: 'Never' }), rt([running]), { probes })),
    { ...nothing, killPod: true, kill: ['a:livenessProbe:Container a failed liveness probe'] });
});

test('a changed definition restarts even under Never', () => {
  const a = computePodActions(pod(['a'], { restartPolicy: 'Never' }), rt([inst('a', 'running')]), { changedContainers: new Set(['a']) });
  assert.deepEqual(summary(a), { ...nothing, start: [0], kill: ['a:changed:Container a definition changed, will be restarted'] });
});

test('an unknown-state container is killed before its restart', () => {
  assert.deepEqual(summary(computePodActions(pod(['a']), rt([inst('a', 'unknown')]))),
    { ...nothing, start: [0], kill: ['a:unknown:Container is in "unknown" state, try killing it before restart'] });
});

test('init containers run one at a time in order', async (t) => {
  const p = (policy = 'Always'): Pod => pod(['a'], { init: [initC('i1'), initC('i2')], restartPolicy: policy });
  await t.test('first running: wait', () => assert.deepEqual(summary(computePodActions(p(), rt([inst('i1', 'running')]))), nothing));
  await t.test('first done: start second', () =>
    assert.deepEqual(summary(computePodActions(p(), rt([inst('i1', 'exited', { exitCode: 0 })]))), { ...nothing, init: [1] }));
  await t.test('all done: start containers', () =>
    assert.deepEqual(summary(computePodActions(p(), rt([inst('i1', 'exited', { exitCode: 0 }), inst('i2', 'exited', { exitCode: 0 })]))), { ...nothing, start: [0] }));
  await t.test('failed: restart it', () =>
    assert.deepEqual(summary(computePodActions(p(), rt([inst('i1', 'exited', { exitCode: 1 })]))), { ...nothing, init: [0] }));
  await t.test('OOMKilled counts as failed', () =>
    assert.deepEqual(summary(computePodActions(p(), rt([inst('i1', 'exited', { exitCode: 0, reason: 'OOMKilled' })]))), { ...nothing, init: [0] }));
  await t.test('failed under Never: kill the pod', () =>
    assert.deepEqual(summary(computePodActions(p('Never'), rt([inst('i1', 'exited', { exitCode: 1 })]))), { ...nothing, killPod: true }));
  await t.test('created but never started: start it', () =>
    assert.deepEqual(summary(computePodActions(p(), rt([inst('i1', 'created')]))), { ...nothing, init: [0] }));
  await t.test('unknown: kill and restart it', () =>
    assert.deepEqual(summary(computePodActions(p(), rt([inst('i1', 'unknown')]))),
      { ...nothing, init: [0], kill: ['i1:unknown:Init container is in "unknown" state, try killing it before restart'] }));
  await t.test('containers already running: init containers are not rerun', () =>
    assert.deepEqual(summary(computePodActions(p(), rt([inst('a', 'running')]))), nothing));
});

test('sidecars start in order and are kept running', async (t) => {
  const p = (init: Container[], containers = ['a']): Pod => pod(containers, { init });
  await t.test('running sidecar: start the next init container', () =>
    assert.deepEqual(summary(computePodActions(p([sidecar('s1'), sidecar('s2')]), rt([inst('s1', 'running')]))), { ...nothing, init: [1] }));
  await t.test('last sidecar running: pod initialized, start containers', () =>
    assert.deepEqual(summary(computePodActions(p([sidecar('s1'), sidecar('s2')]), rt([inst('s1', 'running'), inst('s2', 'running')]))), { ...nothing, start: [0] }));
  await t.test('a sidecar with a startup probe waits for it', () => {
    const s = inst('s1', 'running');
    const pp = p([sidecar('s1', { startupProbe: { exec: { command: ['true'] } } }), initC('i')]);
    assert.deepEqual(summary(computePodActions(pp, rt([s]))), nothing);
    assert.deepEqual(summary(computePodActions(pp, rt([s]), { probes: { startup: new Map([[s.id, 'success' as const]]) } })), { ...nothing, init: [1] });
    assert.deepEqual(summary(computePodActions(pp, rt([s]), { probes: { startup: new Map([[s.id, 'failure' as const]]) } })),
      { ...nothing, init: [0], kill: ['s1:startupProbe:Init container s1 failed startup probe'] });
  });
  await t.test('an exited sidecar restarts while containers run', () =>
    assert.deepEqual(summary(computePodActions(p([sidecar('s1')]), rt([inst('s1', 'exited', { exitCode: 1 }), inst('a', 'running')]))), { ...nothing, init: [0] }));
  await t.test('a sidecar whose record vanished is restarted once containers run', () =>
    assert.deepEqual(summary(computePodActions(p([sidecar('s1'), initC('i')]), rt([inst('a', 'running')]))), { ...nothing, init: [0] }));
  await t.test('a sidecar failing liveness is restarted', () => {
    const s = inst('s1', 'running');
    assert.deepEqual(summary(computePodActions(p([sidecar('s1', { livenessProbe: { exec: { command: ['true'] } } })]), rt([s, inst('a', 'running')]),
      { probes: { liveness: new Map([[s.id, 'failure' as const]]) } })),
    { ...nothing, init: [0], kill: ['s1:livenessProbe:Init container s1 failed liveness probe'] });
  });
  await t.test('when all containers are done the pod is killed and sidecars are not restarted', () => {
    const pp = pod(['a'], { init: [sidecar('s1')], restartPolicy: 'Never' });
    assert.deepEqual(summary(computePodActions(pp, rt([inst('s1', 'running'), inst('a', 'exited', { exitCode: 0 })]))),
      { ...nothing, killPod: true });
  });
  await t.test('a sidecar then a regular init container: the init runs after the sidecar, containers after both', () => {
    const pp = p([sidecar('s1'), initC('i')]);
    assert.deepEqual(summary(computePodActions(pp, rt([inst('s1', 'running'), inst('i', 'running')]))), nothing);
    assert.deepEqual(summary(computePodActions(pp, rt([inst('s1', 'running'), inst('i', 'exited', { exitCode: 0 })]))), { ...nothing, start: [0] });
  });
});
