import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Probe } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../client/index.js';
import type { ProbeResult } from '../pod/runtimeTypes.js';
import type { CheckOutcome } from './outcome.js';
import type { ContainerObservation, ProbeKind } from './worker.js';
import { ProbeWorker } from './worker.js';

/** A worker over a scripted container and handler; results and unsuccessful runs are collected. */
function harness(kind: ProbeKind, probe: Probe, start: ContainerObservation) {
  const clock = new FakeClock();
  const state = { seen: { ...start, startedAt: clock.now() } as ContainerObservation, outcome: { result: 'success', output: '' } as CheckOutcome, runs: 0 };
  const results = new Map<string, ProbeResult>();
  const unsuccessful: string[] = [];
  const worker = new ProbeWorker({
    kind,
    probe: { periodSeconds: 1, ...probe },
    clock,
    observe: () => state.seen,
    run: () => {
      state.runs++;
      return Promise.resolve(state.outcome);
    },
    setResult: (id, result) => (result === undefined ? results.delete(id) : results.set(id, result)),
    onUnsuccessful: (_id, outcome) => unsuccessful.push(outcome.output),
  });
  return { clock, state, results, unsuccessful, worker };
}

const RUNNING: ContainerObservation = { containerId: 'c1', running: true, started: true, finished: false };

describe('probe worker', () => {
  test('readiness starts as failure and turns success on the first passing run', async () => {
    const h = harness('readiness', {}, RUNNING);
    h.state.outcome = { result: 'failure', output: 'not yet' };
    h.worker.start();
    await h.clock.advance(0);
    assert.equal(h.results.get('c1'), 'failure');
    assert.deepEqual(h.unsuccessful, ['not yet']);
    h.state.outcome = { result: 'success', output: '' };
    await h.clock.advance(1000);
    assert.equal(h.results.get('c1'), 'success');
    h.worker.stop();
  });

  test('liveness stays success until failureThreshold failures in a row, then holds', async () => {
    const h = harness('liveness', { failureThreshold: 3 }, RUNNING);
    h.worker.start();
    await h.clock.advance(0);
    assert.equal(h.results.get('c1'), 'success');
    h.state.outcome = { result: 'failure', output: 'boom' };
    await h.clock.advance(2000);
    assert.equal(h.results.get('c1'), 'success', 'two failures are under the threshold');
    await h.clock.advance(1000);
    assert.equal(h.results.get('c1'), 'failure');
    const runs = h.state.runs;
    await h.clock.advance(3000);
    assert.equal(h.state.runs, runs, 'on hold until the container is replaced');
    h.state.seen = { ...RUNNING, containerId: 'c2', startedAt: h.clock.now() };
    h.state.outcome = { result: 'success', output: '' };
    await h.clock.advance(1000);
    assert.equal(h.results.get('c2'), 'success');
    assert.equal(h.results.has('c1'), false, 'the old instance is forgotten');
    h.worker.stop();
    assert.equal(h.results.size, 0);
  });

  test('successThreshold needs that many passes in a row', async () => {
    const h = harness('readiness', { successThreshold: 2 }, RUNNING);
    h.worker.start();
    await h.clock.advance(0);
    assert.equal(h.results.get('c1'), 'failure');
    await h.clock.advance(1000);
    assert.equal(h.results.get('c1'), 'success');
    h.worker.stop();
  });

  test('initialDelaySeconds defers the first run', async () => {
    const h = harness('readiness', { initialDelaySeconds: 5 }, RUNNING);
    h.worker.start();
    await h.clock.advance(4000);
    assert.equal(h.state.runs, 0);
    await h.clock.advance(1000);
    assert.equal(h.state.runs, 1);
    h.worker.stop();
  });

  test('liveness waits for the startup probe; startup stops probing once started', async () => {
    const live = harness('liveness', {}, { ...RUNNING, started: false });
    live.worker.start();
    await live.clock.advance(3000);
    assert.equal(live.state.runs, 0);
    live.state.seen = { ...live.state.seen, started: true };
    await live.clock.advance(1000);
    assert.equal(live.state.runs, 1);
    live.worker.stop();

    const startup = harness('startup', {}, { ...RUNNING, started: false });
    startup.worker.start();
    await startup.clock.advance(0);
    assert.equal(startup.results.get('c1'), 'success');
    startup.state.seen = { ...startup.state.seen, started: true };
    await startup.clock.advance(3000);
    assert.equal(startup.state.runs, 1);
    startup.worker.stop();
  });

  test('errored runs are reported but change nothing', async () => {
    const h = harness('readiness', {}, RUNNING);
    h.state.outcome = { result: 'error', output: 'no handler' };
    h.worker.start();
    await h.clock.advance(2000);
    assert.equal(h.results.get('c1'), 'failure');
    assert.equal(h.unsuccessful.length, 3);
    h.worker.stop();
  });

  test('a stopped container fails its probe and, when it never restarts, ends the worker', async () => {
    const h = harness('readiness', {}, RUNNING);
    h.worker.start();
    await h.clock.advance(0);
    assert.equal(h.results.get('c1'), 'success');
    h.state.seen = { ...RUNNING, running: false, finished: true };
    await h.clock.advance(1000);
    assert.equal(h.results.get('c1'), 'failure');
    assert.equal(h.clock.pendingTimers(), 0);
    h.worker.stop();
  });

  test('stop ends the loop', async () => {
    const h = harness('readiness', {}, RUNNING);
    h.worker.start();
    await h.clock.advance(0);
    h.worker.stop();
    assert.equal(h.clock.pendingTimers(), 0);
    await h.clock.advance(5000);
    assert.equal(h.state.runs, 1);
  });
});
