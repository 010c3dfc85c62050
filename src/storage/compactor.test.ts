import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { startCompactor } from './compactor.js';

// The compactor's timer does not hold the process open; these tests must.
let keepAlive: NodeJS.Timeout | undefined;
beforeEach(() => {
  keepAlive = setInterval(() => undefined, 60_000);
});
afterEach(() => clearInterval(keepAlive));

test('the compactor keeps one interval and keepRevisions of history, and stops on abort', async () => {
  let revision = 100;
  const compacted: number[] = [];
  const controller = new AbortController();
  await new Promise<void>((resolve) => {
    startCompactor(
      {
        currentRevision: () => Promise.resolve((revision += 50)),
        compact: (r) => {
          compacted.push(r);
          if (compacted.length === 3) {
            controller.abort();
            resolve();
          }
          return Promise.resolve();
        },
      },
      { intervalMs: 1, keepRevisions: 70 },
      controller.signal,
    );
  });
  // Ticks see 150, 200, 250, 300: each compacts to min(previous tick, current - 70).
  assert.deepEqual(compacted, [130, 180, 230]);
});

test('compaction failures are reported and the compactor keeps going', async () => {
  const controller = new AbortController();
  const errors: unknown[] = [];
  await new Promise<void>((resolve) => {
    startCompactor(
      { currentRevision: () => Promise.reject(new Error('down')), compact: () => Promise.resolve() },
      { intervalMs: 1, keepRevisions: 0 },
      controller.signal,
      (err) => {
        errors.push(err);
        if (errors.length === 2) {
          controller.abort();
          resolve();
        }
      },
    );
  });
  assert.equal(errors.length, 2);
});
