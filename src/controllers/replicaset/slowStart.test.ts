import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slowStartBatch } from './slowStart.js';

test('calls run in doubling batches and stop after the first failing batch', async () => {
  let calls = 0;
  assert.deepEqual(await slowStartBatch(10, 1, async () => void calls++), { successes: 10 });
  assert.equal(calls, 10);
  calls = 0;
  const failing = await slowStartBatch(10, 1, async () => {
    calls++;
    if (calls >= 3) throw new Error('quota');
  });
  // Batches of 1 and 2: the second has a failure, so nothing more is tried.
  assert.equal(calls, 3);
  assert.equal(failing.successes, 2);
  assert.equal((failing.error as Error).message, 'quota');
});
