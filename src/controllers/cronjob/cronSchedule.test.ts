import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mostRecentScheduleTime, msUntilNextSchedule, parseSchedule, rfc3339In, scheduledTimeHash } from './cronSchedule.js';

const at = (iso: string): number => Date.parse(iso);

test('standard fields and descriptors give the next time strictly after a moment', () => {
  assert.equal(parseSchedule('*/15 * * * *', 'UTC').next(at('2026-03-01T10:15:00Z')), at('2026-03-01T10:30:00Z'));
  assert.equal(parseSchedule('@hourly', 'UTC').next(at('2026-03-01T10:15:00Z')), at('2026-03-01T11:00:00Z'));
  assert.equal(parseSchedule('@midnight', 'UTC').next(at('2026-03-01T10:15:00Z')), at('2026-03-02T00:00:00Z'));
  assert.equal(parseSchedule('@weekly', 'UTC').next(at('2026-03-02T10:15:00Z')), at('2026-03-08T00:00:00Z'));
  assert.equal(parseSchedule('@annually', 'UTC').next(at('2026-03-02T10:15:00Z')), at('2027-01-01T00:00:00Z'));
  assert.equal(parseSchedule('@every 90s').next(at('2026-03-01T10:15:00.400Z')), at('2026-03-01T10:16:30Z'));
  assert.equal(parseSchedule('0 0 1 * MON', 'UTC').next(at('2026-01-01T00:00:00Z')), at('2026-01-05T00:00:00Z'), 'day of month OR day of week');
});

test('malformed schedules and TZ prefixes are refused', () => {
  assert.throws(() => parseSchedule('* * * *', 'UTC'), /expected exactly 5 fields/);
  assert.throws(() => parseSchedule('TZ=UTC 0 * * * *', 'UTC'), /expected exactly 5 fields/);
  assert.throws(() => parseSchedule('61 * * * *', 'UTC'));
  assert.throws(() => parseSchedule('@every often'), /failed to parse duration/);
});

test('a time zone moves the schedule, daylight saving included', () => {
  const nine = parseSchedule('0 9 * * *', 'America/New_York');
  assert.equal(nine.next(at('2026-03-07T00:00:00Z')), at('2026-03-07T14:00:00Z'));
  assert.equal(nine.next(at('2026-03-08T15:00:00Z')), at('2026-03-09T13:00:00Z'));
  assert.equal(rfc3339In(at('2026-03-09T13:00:00Z'), 'America/New_York'), '2026-03-09T09:00:00-04:00');
  assert.equal(rfc3339In(at('2026-03-09T13:00:00Z'), undefined), '2026-03-09T13:00:00Z');
  assert.equal(rfc3339In(at('2026-03-09T13:00:00Z'), 'Asia/Kolkata'), '2026-03-09T18:30:00+05:30');
});

test('the most recent unmet time: none yet, one, or the latest of many (too many past 100)', () => {
  const everyMinute = parseSchedule('* * * * *', 'UTC');
  const created = at('2026-01-01T00:00:10Z');
  assert.deepEqual(mostRecentScheduleTime({ creationTime: created }, at('2026-01-01T00:00:50Z'), everyMinute, true), { earliest: created, tooManyMissed: false });
  assert.equal(mostRecentScheduleTime({ creationTime: created }, at('2026-01-01T00:01:30Z'), everyMinute, true).mostRecent, at('2026-01-01T00:01:00Z'));
  const late = mostRecentScheduleTime({ creationTime: created, lastScheduleTime: at('2026-01-01T00:01:00Z') }, at('2026-01-01T00:30:05Z'), everyMinute, true);
  assert.equal(late.mostRecent, at('2026-01-01T00:30:00Z'));
  assert.equal(late.tooManyMissed, false);
  const days = mostRecentScheduleTime({ creationTime: created }, at('2026-01-03T00:00:30Z'), everyMinute, true);
  assert.equal(days.mostRecent, at('2026-01-03T00:00:00Z'));
  assert.equal(days.tooManyMissed, true);
  const bounded = mostRecentScheduleTime({ creationTime: created, startingDeadlineSeconds: 200 }, at('2026-01-03T00:00:30Z'), everyMinute, true);
  assert.equal(bounded.tooManyMissed, false, 'the starting deadline bounds the search');
});

test('the wait for the next run and the job name suffix', () => {
  const hourly = parseSchedule('0 * * * *', 'UTC');
  assert.equal(msUntilNextSchedule({ creationTime: at('2026-01-01T00:10:00Z') }, at('2026-01-01T00:40:00Z'), hourly), 20 * 60_000 + 100);
  assert.equal(scheduledTimeHash(at('2026-01-01T00:00:00Z')), 29_453_760);
});
