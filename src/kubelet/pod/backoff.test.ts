import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { BackOff, backOffBeforeStart, formatGoDuration } from './backoff.js';

class Clock {
  t = 1_000_000;
  now(): number { return this.t; }
}
const pod: Pod = { metadata: { name: 'web', namespace: 'default', uid: 'u-1' } };

test('Go duration strings', () => {
  assert.deepEqual([0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 3_600_000, 1500].map(formatGoDuration),
    ['0s', '10s', '20s', '40s', '1m20s', '2m40s', '5m0s', '1h0m0s', '1.5s']);
});

/** Simulates a container that crashes `runMs` after each start, restarted as soon as back-off allows. */
function crashLoop(clock: Clock, backOff: BackOff, runMs: number, restarts: number): number[] {
  const delays: number[] = [];
  let finishedAt = clock.now();
  for (let i = 0; i < restarts; i++) {
    assert.equal(backOffBeforeStart(backOff, pod, 'c', finishedAt).inBackOff, false);
    delays.push(backOff.get('web_default_u-1_c_'));
    clock.t += runMs;
    finishedAt = clock.t;
    const verdict = backOffBeforeStart(backOff, pod, 'c', finishedAt);
    assert.equal(verdict.inBackOff, true);
    clock.t += backOff.get('web_default_u-1_c_');
  }
  return delays;
}

test('delay doubles from 10s and caps at 5m', () => {
  const clock = new Clock();
  assert.deepEqual(crashLoop(clock, new BackOff(clock), 1000, 8), [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
});

test('a never-exited container is not backed off', () => {
  const clock = new Clock();
  assert.deepEqual(backOffBeforeStart(new BackOff(clock), pod, 'c', undefined), { inBackOff: false });
});

test('within the delay: CrashLoopBackOff with the upstream message', () => {
  const clock = new Clock();
  const backOff = new BackOff(clock);
  backOffBeforeStart(backOff, pod, 'c', clock.now());
  clock.t += 2000;
  assert.deepEqual(backOffBeforeStart(backOff, pod, 'c', clock.now()), {
    inBackOff: true,
    reason: 'CrashLoopBackOff',
    message: 'back-off 10s restarting failed container=c pod=web_default(u-1)',
    eventMessage: 'Back-off restarting failed container c in pod web_default(u-1)',
  });
  clock.t += 9_999;
  assert.equal(backOff.isInBackOffSince('web_default_u-1_c_', clock.t - 9_999), true);
  clock.t += 1;
  assert.equal(backOffBeforeStart(backOff, pod, 'c', clock.t - 10_000).inBackOff, false);
  assert.equal(backOff.get('web_default_u-1_c_'), 20_000);
});

test('a container that ran more than 10 minutes starts over at 10s', () => {
  const clock = new Clock();
  const backOff = new BackOff(clock);
  crashLoop(clock, backOff, 1000, 5);
  assert.equal(backOff.get('web_default_u-1_c_'), 160_000);
  // It runs for 10 min + 1 ms after its last restart, then exits.
  clock.t += 600_001;
  assert.equal(backOffBeforeStart(backOff, pod, 'c', clock.t).inBackOff, false);
  assert.equal(backOff.get('web_default_u-1_c_'), 10_000);
});

test('a container that finished exactly 10 minutes after its restart keeps doubling', () => {
  const clock = new Clock();
  const backOff = new BackOff(clock);
  const restartedAt = clock.now();
  backOffBeforeStart(backOff, pod, 'c', restartedAt);
  clock.t = restartedAt + 600_000;
  assert.equal(backOffBeforeStart(backOff, pod, 'c', clock.t).inBackOff, true);
  clock.t += 10_000;
  assert.equal(backOffBeforeStart(backOff, pod, 'c', restartedAt + 600_000).inBackOff, false);
  assert.equal(backOff.get('web_default_u-1_c_'), 20_000);
});

test('keys are per pod and container; gc drops stale entries', () => {
  const clock = new Clock();
  const backOff = new BackOff(clock);
  backOffBeforeStart(backOff, pod, 'a', clock.now());
  assert.equal(backOffBeforeStart(backOff, pod, 'b', clock.now()).inBackOff, false);
  assert.equal(backOffBeforeStart(backOff, { metadata: { ...pod.metadata, uid: 'u-2' } }, 'a', clock.now()).inBackOff, false);
  clock.t += 600_001;
  backOff.gc();
  assert.equal(backOff.get('web_default_u-1_a_'), 0);
});
