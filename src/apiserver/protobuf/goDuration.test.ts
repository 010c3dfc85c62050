import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoDuration } from './goDuration.js';

test('durations print as Go prints them', () => {
  const cases: [bigint, string][] = [
    [0n, '0s'],
    [1n, '1ns'],
    [1_500n, '1.5µs'],
    [250_000_000n, '250ms'],
    [1_000_000_000n, '1s'],
    [90_000_000_000n, '1m30s'],
    [3_600_000_000_000n, '1h0m0s'],
    [3_723_500_000_000n, '1h2m3.5s'],
    [-5_000_000_000n, '-5s'],
    [-9_223_372_036_854_775_808n, '-2562047h47m16.854775808s'],
  ];
  for (const [nanoseconds, text] of cases) assert.equal(formatGoDuration(nanoseconds), text, String(nanoseconds));
});
