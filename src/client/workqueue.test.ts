import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, settle } from './clock.js';
import { BucketRateLimiter, ItemExponentialFailureRateLimiter, defaultControllerRateLimiter } from './rateLimiter.js';
import { WorkQueue } from './workqueue.js';

/** Takes every item that is ready now, without waiting. */
async function drainReady(queue: WorkQueue<string>): Promise<string[]> {
  const out: string[] = [];
  while (queue.len() > 0) out.push((await queue.get())!);
  return out;
}

describe('WorkQueue', () => {
  test('hands out items in order, once each while queued', async () => {
    const queue = new WorkQueue<string>({ clock: new FakeClock() });
    for (const key of ['a', 'b', 'a', 'c', 'b']) queue.add(key);
    assert.equal(queue.len(), 3);
    assert.deepEqual(await drainReady(queue), ['a', 'b', 'c']);
  });

  test('an item being processed is not handed out again until done, then once', async () => {
    const queue = new WorkQueue<string>({ clock: new FakeClock() });
    queue.add('a');
    const first = await queue.get();
    assert.equal(first, 'a');
    queue.add('a');
    queue.add('a');
    assert.equal(queue.len(), 0, 'held back while processing');
    let second: string | undefined;
    void queue.get().then((k) => (second = k));
    await settle();
    assert.equal(second, undefined);
    queue.done('a');
    await settle();
    assert.equal(second, 'a');
    queue.done('a');
    assert.equal(queue.len(), 0);
  });

  test('waiting getters are served in order as items arrive', async () => {
    const queue = new WorkQueue<string>({ clock: new FakeClock() });
    const got: (string | undefined)[] = [];
    const workers = [queue.get(), queue.get()].map((p) => p.then((k) => got.push(k)));
    queue.add('x');
    queue.add('y');
    await Promise.all(workers);
    assert.deepEqual(got, ['x', 'y']);
  });

  test('addAfter waits on the clock, and the earliest pending delay wins', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue<string>({ clock });
    queue.addAfter('a', 1000);
    queue.addAfter('a', 5000);
    queue.addAfter('b', 2000);
    queue.addAfter('c', 0);
    assert.deepEqual(await drainReady(queue), ['c']);
    clock.step(999);
    assert.equal(queue.len(), 0);
    clock.step(1);
    assert.deepEqual(await drainReady(queue), ['a']);
    clock.step(1000);
    assert.deepEqual(await drainReady(queue), ['b']);
    clock.step(10_000);
    assert.equal(queue.len(), 0, 'the later duplicate delay of a was dropped');
    assert.equal(clock.pendingTimers(), 0);
  });

  test('addRateLimited backs off exponentially per item until forgotten', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue<string>({ clock, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1_000_000) });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const start = clock.now();
      queue.addRateLimited('a');
      while (queue.len() === 0) clock.step(1);
      delays.push(clock.now() - start);
      const key = (await queue.get())!;
      queue.done(key);
    }
    assert.deepEqual(delays, [5, 10, 20, 40]);
    assert.equal(queue.numRequeues('a'), 4);
    queue.forget('a');
    assert.equal(queue.numRequeues('a'), 0);
    const start = clock.now();
    queue.addRateLimited('a');
    while (queue.len() === 0) clock.step(1);
    assert.equal(clock.now() - start, 5);
  });

  test('shutdown ignores new items, hands out what is left, then undefined to every getter', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue<string>({ clock });
    queue.add('a');
    queue.addAfter('later', 1000);
    queue.shutdown();
    queue.add('b');
    assert.equal(clock.pendingTimers(), 0, 'delayed items are cancelled');
    assert.equal(await queue.get(), 'a');
    assert.equal(await queue.get(), undefined);
    assert.equal(await queue.get(), undefined);
    assert.equal(queue.shuttingDown, true);
  });

  test('blocked getters are released by shutdown, also through the abort signal', async () => {
    const queue = new WorkQueue<string>({ clock: new FakeClock() });
    const waiting = queue.get();
    queue.shutdown();
    assert.equal(await waiting, undefined);

    const stop = new AbortController();
    const clock = new FakeClock();
    const signalled = new WorkQueue<string>({ clock, signal: stop.signal });
    signalled.addAfter('later', 1000);
    const blocked = signalled.get();
    stop.abort();
    assert.equal(await blocked, undefined);
    assert.equal(signalled.shuttingDown, true);
    assert.equal(clock.pendingTimers(), 0);
  });

  test('shutDownWithDrain waits for items in processing to be done', async () => {
    const queue = new WorkQueue<string>({ clock: new FakeClock() });
    queue.add('a');
    queue.add('b');
    const a = (await queue.get())!;
    const b = (await queue.get())!;
    let drained = false;
    const draining = queue.shutDownWithDrain().then(() => (drained = true));
    queue.done(a);
    await settle();
    assert.equal(drained, false);
    queue.done(b);
    await draining;
    assert.equal(drained, true);
  });
});

describe('rate limiters', () => {
  test('exponential per-item backoff is capped', () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>(5, 1_000_000);
    let last = 0;
    for (let i = 0; i < 40; i++) last = limiter.when('x');
    assert.equal(last, 1_000_000);
    assert.equal(limiter.when('y'), 5, 'items are independent');
  });

  test('the token bucket allows a burst, then paces at qps, refilling over time', () => {
    const clock = new FakeClock();
    const bucket = new BucketRateLimiter<string>(10, 100, clock);
    const burst = Array.from({ length: 100 }, (_, i) => bucket.when(`k${i}`));
    assert.ok(burst.every((d) => d === 0));
    assert.equal(bucket.when('next'), 100);
    assert.equal(bucket.when('next2'), 200);
    clock.step(10_000);
    assert.equal(bucket.when('after'), 0);
  });

  test('the default controller limiter takes the larger of both', () => {
    const clock = new FakeClock();
    const limiter = defaultControllerRateLimiter<string>(clock);
    assert.equal(limiter.when('a'), 5);
    assert.equal(limiter.when('a'), 10);
    for (let i = 0; i < 98; i++) limiter.when(`other${i}`);
    // The bucket is now empty: a fresh item waits for the bucket, not its own 5 ms.
    assert.equal(limiter.when('fresh'), 100);
    limiter.forget('a');
    assert.equal(limiter.numRequeues('a'), 0);
  });
});
