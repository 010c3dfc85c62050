import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstPendingIndexes, formatIntervals, parseIntervals, totalOf, withIndexes } from './intervals.js';

test('indexes print as upstream compresses them: runs of three or more as ranges, pairs with a comma', () => {
  assert.equal(formatIntervals(withIndexes([], [5, 0, 1, 3, 7, 8, 9, 2])), '0-3,5,7-9');
  assert.equal(formatIntervals(withIndexes([], [4, 5])), '4,5');
  assert.equal(formatIntervals([]), '');
});

test('parsing keeps indexes below completions, merges neighbours and skips corrupt parts', () => {
  const parsed = parseIntervals('0,1,2-4,x,7-12', 10);
  assert.equal(formatIntervals(parsed), '0-4,7-9');
  assert.equal(totalOf(parsed), 8);
});

test('the first pending indexes skip succeeded and running ones', () => {
  assert.deepEqual(firstPendingIndexes(parseIntervals('0-2,5', 10), [3, 7], 3, 10), [4, 6, 8]);
  assert.deepEqual(firstPendingIndexes([], [], 5, 2), [0, 1]);
});
