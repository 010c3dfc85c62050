import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, sleep } from './clock.js';

describe('FakeClock', () => {
  test('fires timers in due order, ties in the order set, only when time passes them', () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@20'), 20);
    clock.setTimeout(() => fired.push('a@10'), 10);
    clock.setTimeout(() => fired.push('c@20'), 20);
    const cancelled = clock.setTimeout(() => fired.push('never'), 15);
    clock.clearTimeout(cancelled);
    clock.step(9);
    assert.deepEqual(fired, []);
    clock.step(11);
    assert.deepEqual(fired, ['a@10', 'b@20', 'c@20']);
    assert.equal(clock.now(), 20);
    assert.equal(clock.pendingTimers(), 0);
  });

  test('timers set by firing timers fire within the same step when due', () => {
    const clock = new FakeClock(0);
    const at: number[] = [];
    clock.setTimeout(() => {
      at.push(clock.now());
      clock.setTimeout(() => at.push(clock.now()), 5);
    }, 5);
    clock.step(10);
    assert.deepEqual(at, [5, 10]);
  });

  test('sleep resolves on time or on abort, leaving no timer', async () => {
    const clock = new FakeClock(0);
    let woke = false;
    const sleeping = sleep(clock, 100).then(() => (woke = true));
    await clock.advance(99);
    assert.equal(woke, false);
    await clock.advance(1);
    await sleeping;
    assert.equal(woke, true);
    const stop = new AbortController();
    const interrupted = sleep(clock, 1000, stop.signal);
    assert.equal(clock.pendingTimers(), 1);
    stop.abort();
    await interrupted;
    assert.equal(clock.pendingTimers(), 0);
  });

  test('waitForTimers resolves once enough timers are pending', async () => {
    const clock = new FakeClock(0);
    let ready = false;
    const waiting = clock.waitForTimers(2).then(() => (ready = true));
    clock.setTimeout(() => {}, 1);
    await Promise.resolve();
    assert.equal(ready, false);
    clock.setTimeout(() => {}, 1);
    await waiting;
    assert.equal(ready, true);
  });
});
