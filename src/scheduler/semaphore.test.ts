/**
 * The semaphore: no more holders than the limit, waiters served in order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Semaphore } from './semaphore.js';

test('at most `limit` holders; a release hands the slot to the first waiter', async () => {
  const semaphore = new Semaphore(2);
  const order: string[] = [];
  await semaphore.acquire();
  await semaphore.acquire();
  const third = semaphore.acquire().then(() => order.push('third'));
  const fourth = semaphore.acquire().then(() => order.push('fourth'));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(order, []);
  semaphore.release();
  await third;
  assert.deepEqual(order, ['third']);
  semaphore.release();
  await fourth;
  assert.deepEqual(order, ['third', 'fourth']);
});
