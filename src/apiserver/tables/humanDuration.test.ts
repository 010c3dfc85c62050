import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ageSince, humanDuration } from './humanDuration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration', () => {
  test('seconds up to two minutes', () => {
    assert.equal(humanDuration(0), '0s');
    assert.equal(humanDuration(5 * s + 900), '5s');
    assert.equal(humanDuration(119 * s), '119s');
  });

  test('minutes and seconds below ten minutes, then whole minutes below three hours', () => {
    assert.equal(humanDuration(2 * m), '2m');
    assert.equal(humanDuration(3 * m + 2 * s), '3m2s');
    assert.equal(humanDuration(10 * m + 59 * s), '10m');
    assert.equal(humanDuration(179 * m), '179m');
  });

  test('hours and minutes below eight hours, then whole hours below two days', () => {
    assert.equal(humanDuration(3 * h), '3h');
    assert.equal(humanDuration(5 * h + 4 * m), '5h4m');
    assert.equal(humanDuration(47 * h + 59 * m), '47h');
  });

  test('days and hours below eight days, days below two years, then years', () => {
    assert.equal(humanDuration(2 * d + 3 * h), '2d3h');
    assert.equal(humanDuration(3 * d), '3d');
    assert.equal(humanDuration(400 * d), '400d');
    assert.equal(humanDuration(3 * 365 * d + 12 * d), '3y12d');
    assert.equal(humanDuration(4 * 365 * d), '4y');
    assert.equal(humanDuration(9 * 365 * d + 100 * d), '9y');
  });

  test('clock skew: up to a second and a bit in the future is 0s, more is <invalid>', () => {
    assert.equal(humanDuration(-1500), '0s');
    assert.equal(humanDuration(-2500), '<invalid>');
  });

  test('ageSince reads RFC 3339 and reports <unknown> for an absent time', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    assert.equal(ageSince('2026-01-01T11:55:00Z', now), '5m');
    assert.equal(ageSince(undefined, now), '<unknown>');
  });
});
