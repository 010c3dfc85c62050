import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import { apiContainerStatuses } from './containerStatuses.js';
import type { RuntimeContainer, RuntimePodStatus } from './runtimeTypes.js';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const iso = (s: number): string => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z');

function pod(containers: Container[], initContainers: Container[] = [], restartPolicy = 'Always'): Pod {
  return { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { containers, initContainers, restartPolicy } };
}
function rt(...containers: RuntimeContainer[]): RuntimePodStatus {
  return { runtimeName: 'containerd', sandboxes: [], containers };
}
function inst(name: string, id: string, state: RuntimeContainer['state'], createdS: number, extra: Partial<RuntimeContainer> = {}): RuntimeContainer {
  return { id, name, state, createdAt: T0 + createdS * 1000, restartCount: 0, image: 'docker.io/library/nginx:1', imageRef: 'docker.io/library/nginx@sha256:abc', ...extra };
}
const c = (name: string, extra: Partial<Container> = {}): Container => ({ name, image: 'nginx:1', ...extra });

test('a container the runtime has not created waits in ContainerCreating', () => {
  const { containerStatuses } = apiContainerStatuses(pod([c('a')]), { runtime: rt() });
  assert.deepEqual(containerStatuses, [{
    name: 'a', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false, restartCount: 0,
    image: 'nginx:1', imageID: '', started: false,
  }]);
});

test('with init containers, everything not created waits in PodInitializing', () => {
  const s = apiContainerStatuses(pod([c('a')], [c('i')]), { runtime: rt() });
  assert.equal(s.containerStatuses[0]?.state?.waiting?.reason, 'PodInitializing');
  assert.equal(s.initContainerStatuses[0]?.state?.waiting?.reason, 'PodInitializing');
});

test('a running container: running state, containerd ID, image ref, ready and started without probes', () => {
  const { containerStatuses } = apiContainerStatuses(pod([c('a')]), { runtime: rt(inst('a', 'abc123', 'running', 1, { startedAt: T0 + 2000 })) });
  assert.deepEqual(containerStatuses, [{
    name: 'a', state: { running: { startedAt: iso(2) } }, lastState: {}, ready: true, restartCount: 0,
    image: 'docker.io/library/nginx:1', imageID: 'docker.io/library/nginx@sha256:abc', containerID: 'containerd://abc123', started: true,
  }]);
});

test('readiness and startup probes gate ready and started', () => {
  const p = pod([c('a', { readinessProbe: { exec: { command: ['true'] } }, startupProbe: { exec: { command: ['true'] } } })]);
  const runtime = rt(inst('a', 'id1', 'running', 1, { startedAt: T0 }));
  let s = apiContainerStatuses(p, { runtime }).containerStatuses[0];
  assert.deepEqual([s?.started, s?.ready], [false, false]);
  s = apiContainerStatuses(p, { runtime, probes: { startup: new Map([['id1', 'success']]) } }).containerStatuses[0];
  assert.deepEqual([s?.started, s?.ready], [true, false]);
  s = apiContainerStatuses(p, { runtime, probes: { startup: new Map([['id1', 'success']]), readiness: new Map([['id1', 'success']]) } }).containerStatuses[0];
  assert.deepEqual([s?.started, s?.ready], [true, true]);
});

test('terminated: exit code, reason (Completed, Error, runtime OOMKilled), times, container ID', () => {
  const p = pod([c('ok'), c('bad'), c('oom')], [], 'Never');
  const times = { startedAt: T0 + 1000, finishedAt: T0 + 5000 };
  const { containerStatuses } = apiContainerStatuses(p, { runtime: rt(
    inst('ok', 'o', 'exited', 0, { exitCode: 0, ...times }),
    inst('bad', 'b', 'exited', 0, { exitCode: 2, ...times }),
    inst('oom', 'm', 'exited', 0, { exitCode: 137, reason: 'OOMKilled', ...times }),
  ) });
  assert.deepEqual(containerStatuses.map((s) => s.name), ['bad', 'ok', 'oom']);
  assert.deepEqual(containerStatuses.map((s) => s.state?.terminated), [
    { exitCode: 2, reason: 'Error', startedAt: iso(1), finishedAt: iso(5), containerID: 'containerd://b' },
    { exitCode: 0, reason: 'Completed', startedAt: iso(1), finishedAt: iso(5), containerID: 'containerd://o' },
    { exitCode: 137, reason: 'OOMKilled', startedAt: iso(1), finishedAt: iso(5), containerID: 'containerd://m' },
  ]);
  assert.ok(containerStatuses.every((s) => s.ready === false && s.started === false));
});

test('restarted container: newest instance is state, the one before is lastState, restartCount from the runtime', () => {
  const { containerStatuses } = apiContainerStatuses(pod([c('a')]), { runtime: rt(
    inst('a', 'old', 'exited', 0, { exitCode: 1, startedAt: T0, finishedAt: T0 + 3000 }),
    inst('a', 'new', 'running', 10, { startedAt: T0 + 10_000, restartCount: 1 }),
  ) });
  const s = containerStatuses[0];
  assert.equal(s?.restartCount, 1);
  assert.deepEqual(s?.state, { running: { startedAt: iso(10) } });
  assert.deepEqual(s?.lastState, { terminated: { exitCode: 1, reason: 'Error', startedAt: iso(0), finishedAt: iso(3), containerID: 'containerd://old' } });
});

test('CrashLoopBackOff: waiting with the back-off message, termination moves to lastState', () => {
  const message = 'back-off 10s restarting failed container=a pod=p_ns(u)';
  const { containerStatuses } = apiContainerStatuses(pod([c('a')]), {
    runtime: rt(inst('a', 'x', 'exited', 0, { exitCode: 1, startedAt: T0, finishedAt: T0 + 1000, restartCount: 3 })),
    startFailures: new Map([['a', { reason: 'CrashLoopBackOff', message }]]),
  });
  const s = containerStatuses[0];
  assert.deepEqual(s?.state, { waiting: { reason: 'CrashLoopBackOff', message } });
  assert.equal(s?.lastState?.terminated?.exitCode, 1);
  assert.equal(s?.restartCount, 3);
});

test('image pull and config errors show as the waiting reason of a never-created container', () => {
  for (const reason of ['ErrImagePull', 'ImagePullBackOff', 'CreateContainerConfigError']) {
    const { containerStatuses } = apiContainerStatuses(pod([c('a')]), {
      runtime: rt(), startFailures: new Map([['a', { reason, message: 'details' }]]),
    });
    assert.deepEqual(containerStatuses[0]?.state, { waiting: { reason, message: 'details' } });
    assert.deepEqual(containerStatuses[0]?.lastState, {});
  }
});

test('a start failure is not shown for a container that will not restart (Never, or a succeeded init container)', () => {
  const failures = new Map([['a', { reason: 'CrashLoopBackOff' }], ['i', { reason: 'CrashLoopBackOff' }]]);
  const s = apiContainerStatuses(pod([c('a')], [c('i')], 'Never'), {
    runtime: rt(inst('i', 'i1', 'exited', 0, { exitCode: 0 }), inst('a', 'a1', 'exited', 1, { exitCode: 1 })), startFailures: failures,
  });
  assert.equal(s.containerStatuses[0]?.state?.terminated?.exitCode, 1);
  assert.equal(s.initContainerStatuses[0]?.state?.terminated?.reason, 'Completed');
});

test('init containers: spec order, ready once exited 0, sidecars get started/ready like containers', () => {
  const p = pod([c('a')], [c('z-init'), c('sidecar', { restartPolicy: 'Always' })]);
  const s = apiContainerStatuses(p, { runtime: rt(
    inst('z-init', 'z', 'exited', 0, { exitCode: 0 }),
    inst('sidecar', 's', 'running', 1),
  ) });
  assert.deepEqual(s.initContainerStatuses.map((x) => [x.name, x.ready, x.started]), [['z-init', true, false], ['sidecar', true, true]]);
});

test('a terminated previous status is kept while the runtime lost the container', () => {
  const previous: ContainerStatus = { name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } }, lastState: {}, ready: false, restartCount: 0, image: 'nginx:1', imageID: 'x' };
  const s = apiContainerStatuses(pod([c('a')], [], 'Never'), { runtime: rt(), previous: { containerStatuses: [previous] } });
  assert.deepEqual(s.containerStatuses[0]?.state, previous.state);
});

test('a running container that vanished from the runtime gets an unknown last termination and a restart', () => {
  const previous: ContainerStatus = { name: 'a', state: { running: {} }, lastState: {}, ready: true, restartCount: 2, image: 'nginx:1', imageID: 'x' };
  const s = apiContainerStatuses(pod([c('a')]), { runtime: rt(), previous: { containerStatuses: [previous] } }).containerStatuses[0];
  assert.deepEqual(s?.state, { waiting: { reason: 'ContainerCreating' } });
  assert.deepEqual(s?.lastState, { terminated: {
    reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was deleted.  The container used to be Running', exitCode: 137,
  } });
  assert.equal(s?.restartCount, 3);
});

test('an unknown-state container that was running is terminated with ContainerStatusUnknown', () => {
  const previous: ContainerStatus = { name: 'a', state: { running: {} }, lastState: {}, ready: true, restartCount: 0, image: 'nginx:1', imageID: 'x' };
  const s = apiContainerStatuses(pod([c('a')], [], 'Never'), { runtime: rt(inst('a', 'q', 'unknown', 0)), previous: { containerStatuses: [previous] } }).containerStatuses[0];
  assert.deepEqual(s?.state, { terminated: { reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated', exitCode: 137 } });
  assert.equal(s?.restartCount, 1);
});

test('a created (not yet started) container waits without reason', () => {
  const s = apiContainerStatuses(pod([c('a')], [], 'Never'), { runtime: rt(inst('a', 'q', 'created', 0)) }).containerStatuses[0];
  assert.deepEqual(s?.state, { waiting: {} });
});
