import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../client/index.js';
import type { ExecSyncResult } from '../../runtime/cri/types.js';
import { ContainerLifecycle } from './containerLifecycle.js';

/** A lifecycle over a fake runtime whose exec exits with `exitCode`; calls and events are collected. */
function harness(exitCode = 0) {
  const clock = new FakeClock();
  const calls: string[] = [];
  const events: string[] = [];
  const lifecycle = new ContainerLifecycle({
    clock,
    cri: {
      execSync: (id: string, cmd: string[]): Promise<ExecSyncResult> => {
        calls.push(`exec ${id} ${cmd.join(' ')}`);
        return Promise.resolve({ stdout: Buffer.from('said no'), stderr: Buffer.alloc(0), exitCode });
      },
      stopContainer: (id: string, grace: number): Promise<void> => {
        calls.push(`stop ${id} ${grace}`);
        return Promise.resolve();
      },
    },
    recordEvent: (subject, type, reason, message) => events.push(`${type} ${reason} ${subject.containerName ?? ''}: ${message}`),
  });
  return { clock, calls, events, lifecycle };
}

const pod = (container: Container): Pod => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { containers: [container], terminationGracePeriodSeconds: 10 } });

describe('container lifecycle hooks', () => {
  test('preStop exec runs before StopContainer, which gets the grace period left', async () => {
    const h = harness();
    const main: Container = { name: 'main', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'bye'] } } } };
    await h.lifecycle.stop({ pod: pod(main), container: main, containerId: 'c1', graceSeconds: 10, message: 'Container main failed liveness probe, will be restarted' });
    assert.deepEqual(h.calls, ['exec c1 sh -c bye', 'stop c1 10']);
    assert.deepEqual(h.events, ['Normal Killing main: Container main failed liveness probe, will be restarted']);
  });

  test('a preStop sleep uses up grace; StopContainer still gets at least 2 s', async () => {
    const h = harness();
    const main: Container = { name: 'main', lifecycle: { preStop: { sleep: { seconds: 4 } } } };
    const stopping = h.lifecycle.stop({ pod: pod(main), container: main, containerId: 'c1', graceSeconds: 10 });
    await h.clock.advance(4000);
    await stopping;
    assert.deepEqual(h.calls, ['stop c1 6']);
    const long: Container = { name: 'main', lifecycle: { preStop: { sleep: { seconds: 60 } } } };
    const cut = h.lifecycle.stop({ pod: pod(long), container: long, containerId: 'c2', graceSeconds: 3 });
    await h.clock.advance(3000);
    await cut;
    assert.deepEqual(h.calls, ['stop c1 6', 'stop c2 2']);
  });

  test('a failing preStop hook records FailedPreStopHook and the container is still stopped', async () => {
    const h = harness(1);
    const main: Container = { name: 'main', lifecycle: { preStop: { exec: { command: ['false'] } } } };
    await h.lifecycle.stop({ pod: pod(main), container: main, containerId: 'c1', graceSeconds: 5 });
    assert.deepEqual(h.calls, ['exec c1 false', 'stop c1 5']);
    assert.equal(h.events[0], 'Normal Killing main: Stopping container main');
    assert.match(h.events[1] ?? '', /^Warning FailedPreStopHook main: Exec lifecycle hook \(\[false\]\) for Container "main" in Pod "p_ns\(u1\)" failed/);
  });

  test('a failing postStart hook records FailedPostStartHook and kills the container', async () => {
    const h = harness(7);
    const main: Container = { name: 'main', lifecycle: { postStart: { exec: { command: ['init'] } } } };
    const failure = await h.lifecycle.postStart(pod(main), main, 'c1', '10.0.0.2');
    assert.match(failure ?? '', /Exec lifecycle hook \(\[init\]\) for Container "main" in Pod "p_ns\(u1\)" failed - error: .*message: "said no"/);
    assert.deepEqual(h.calls, ['exec c1 init', 'stop c1 10']);
    assert.deepEqual(h.events.map((e) => e.split(':')[0]), ['Warning FailedPostStartHook main', 'Normal Killing main']);
    assert.match(h.events[1] ?? '', /: FailedPostStartHook$/);
  });

  test('no hooks: postStart does nothing, stop just stops', async () => {
    const h = harness();
    const main: Container = { name: 'main' };
    assert.equal(await h.lifecycle.postStart(pod(main), main, 'c1', undefined), undefined);
    await h.lifecycle.stop({ containerId: 'c9', graceSeconds: 30 });
    assert.deepEqual(h.calls, ['stop c9 30']);
    assert.deepEqual(h.events, []);
  });
});
