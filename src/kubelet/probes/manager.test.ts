import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pod, Probe } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../client/index.js';
import type { RuntimePodStatus } from '../pod/runtimeTypes.js';
import type { CheckOutcome } from './outcome.js';
import { ProbeManager } from './manager.js';

const FAST: Probe = { periodSeconds: 1, failureThreshold: 1, exec: { command: ['check'] } };

function runtime(clock: FakeClock, id = 'c1'): RuntimePodStatus {
  return {
    runtimeName: 'containerd',
    sandboxes: [{ id: 's1', state: 'ready', attempt: 0, createdAt: clock.now(), ips: ['10.0.0.7'] }],
    containers: [{ id, name: 'main', state: 'running', createdAt: clock.now(), startedAt: clock.now(), restartCount: 0, image: 'busybox', imageRef: 'sha256:1' }],
  };
}

describe('probe manager', () => {
  test('startup gates liveness and readiness; failures become Unhealthy events; changes resync the pod', async () => {
    const clock = new FakeClock();
    const outcomes: Record<string, CheckOutcome> = { startup: { result: 'failure', output: 'not up' }, liveness: { result: 'success', output: '' }, readiness: { result: 'success', output: '' } };
    const ran: string[] = [];
    const events: string[] = [];
    const changed: string[] = [];
    const startupProbe: Probe = { ...FAST, failureThreshold: 100, exec: { command: ['startup'] } };
    const livenessProbe: Probe = { ...FAST, exec: { command: ['liveness'] } };
    const readinessProbe: Probe = { ...FAST, exec: { command: ['readiness'] } };
    const manager = new ProbeManager({
      cri: { execSync: () => Promise.reject(new Error('unused')) },
      clock,
      onChange: (uid) => changed.push(uid),
      recordEvent: (subject, type, reason, message) => events.push(`${type} ${reason} ${subject.containerName ?? ''} ${message}`),
      run: (probe, _container, id, host) => {
        const kind = probe.exec?.command?.[0] ?? '';
        ran.push(`${kind} ${id} ${host}`);
        return Promise.resolve(outcomes[kind] as CheckOutcome);
      },
    });
    const pod: Pod = { metadata: { uid: 'u1', name: 'p' }, spec: { containers: [{ name: 'main', startupProbe, livenessProbe, readinessProbe }] } };
    manager.updatePod(pod, runtime(clock));
    await clock.advance(2000);
    assert.deepEqual(new Set(ran), new Set(['startup c1 10.0.0.7']));
    assert.equal(manager.results().readiness?.get('c1'), 'failure');
    assert.equal(manager.results().liveness?.get('c1'), 'success');
    assert.equal(manager.results().startup?.has('c1'), false);
    assert.equal(events[0], 'Warning Unhealthy main Startup probe failed: not up');

    outcomes.startup = { result: 'success', output: '' };
    await clock.advance(1000);
    assert.equal(manager.results().startup?.get('c1'), 'success');
    await clock.advance(1000);
    assert.equal(manager.results().readiness?.get('c1'), 'success');
    assert.ok(ran.includes('liveness c1 10.0.0.7'));
    assert.ok(changed.length > 0 && changed.every((uid) => uid === 'u1'));

    outcomes.liveness = { result: 'failure', output: 'dead' };
    await clock.advance(1000);
    assert.equal(manager.results().liveness?.get('c1'), 'failure');
    assert.ok(events.includes('Warning Unhealthy main Liveness probe failed: dead'));

    manager.removePod('u1');
    assert.equal(clock.pendingTimers(), 0);
    assert.equal(manager.results().liveness?.size, 0);
    assert.equal(manager.results().readiness?.size, 0);
  });

  test('host-network pods are probed on 127.0.0.1', async () => {
    const clock = new FakeClock();
    const hosts: string[] = [];
    const manager = new ProbeManager({
      cri: { execSync: () => Promise.reject(new Error('unused')) },
      clock,
      onChange: () => undefined,
      recordEvent: () => undefined,
      run: (_probe, _container, _id, host) => {
        hosts.push(host);
        return Promise.resolve({ result: 'success', output: '' });
      },
    });
    manager.updatePod({ metadata: { uid: 'u2' }, spec: { hostNetwork: true, containers: [{ name: 'main', readinessProbe: FAST }] } }, runtime(clock));
    await clock.advance(0);
    assert.deepEqual(hosts, ['127.0.0.1']);
    manager.stop();
  });
});
