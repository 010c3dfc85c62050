/**
 * CronJob schedules and the upstream arithmetic over them (cronjob utils): parsing a
 * standard 5-field schedule or a descriptor (@yearly, @annually, @monthly, @weekly,
 * @daily, @midnight, @hourly, @every <duration>) in a time zone, the most recent
 * unmet schedule time (at most one catch-up; more than 100 missed times is "many"),
 * and how long to wait for the next one. Times are milliseconds since the epoch.
 */
import { CronExpressionParser } from 'cron-parser';

/** A parsed schedule. */
export interface Schedule {
  /** The first schedule time strictly after `after`. */
  next(after: number): number;
}

/** Upstream's `nextScheduleDelta`: wake 100 ms after a schedule time. */
export const NEXT_SCHEDULE_DELTA_MS = 100;
/** More missed start times than this are "too many" (upstream picked 100). */
export const TOO_MANY_MISSED = 100;

/** Descriptors cron-parser does not spell as robfig/cron does. */
const DESCRIPTOR_ALIASES: Readonly<Record<string, string>> = { '@midnight': '@daily' };
const GO_DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a Go duration (`1h30m`, `90s`) into milliseconds; undefined when malformed. */
function parseGoDuration(text: string): number | undefined {
  if (!/^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(match[1]) * (GO_DURATION_UNITS[match[2] ?? 's'] ?? 0);
  return total;
}

/** `@every d` as robfig/cron runs it: whole seconds (at least one) after the current second. */
function everySchedule(ms: number): Schedule {
  const delay = Math.max(1000, Math.floor(ms / 1000) * 1000);
  return { next: (after) => Math.floor(after / 1000) * 1000 + delay };
}

/** The time zone schedules without `timeZone` run in: the controller's own, as upstream. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Parses `schedule` in `timeZone` (default: the local zone); throws an Error saying why it cannot. */
export function parseSchedule(schedule: string, timeZone?: string): Schedule {
  const text = schedule.trim();
  if (text.startsWith('@every ')) {
    const ms = parseGoDuration(text.slice('@every '.length).trim());
    if (ms === undefined) throw new Error(`failed to parse duration ${text}`);
    return everySchedule(ms);
  }
  if (!text.startsWith('@') && text.split(/\s+/).length !== 5) throw new Error(`expected exactly 5 fields, found ${text.split(/\s+/).length}: ${text}`);
  const expression = DESCRIPTOR_ALIASES[text] ?? text;
  const tz = timeZone ?? localTimeZone();
  CronExpressionParser.parse(expression, { tz });
  return { next: (after) => CronExpressionParser.parse(expression, { currentDate: new Date(after), tz }).next().getTime() };
}

/** What `mostRecentScheduleTime` found. */
export interface ScheduleCheck {
  /** The time the search started from (last schedule, creation, or the starting deadline). */
  earliest: number;
  /** The most recent schedule time not after now, if any since `earliest`. */
  mostRecent?: number;
  /** More than TOO_MANY_MISSED schedule times passed since `earliest`. */
  tooManyMissed: boolean;
}

/** What a CronJob's schedule arithmetic reads of it. */
export interface ScheduleState {
  creationTime: number;
  lastScheduleTime?: number;
  startingDeadlineSeconds?: number;
}

/**
 * Upstream `mostRecentScheduleTime`: the latest schedule time in (earliest, now],
 * where earliest is the last schedule time (or creation), moved up to now less the
 * starting deadline when `withDeadline`. Missed times are estimated from the gap
 * between two consecutive schedule times, never enumerated.
 */
export function mostRecentScheduleTime(state: ScheduleState, now: number, schedule: Schedule, withDeadline: boolean): ScheduleCheck {
  let earliest = state.lastScheduleTime ?? state.creationTime;
  if (withDeadline && state.startingDeadlineSeconds !== undefined) earliest = Math.max(earliest, now - state.startingDeadlineSeconds * 1000);
  const t1 = schedule.next(earliest);
  const t2 = schedule.next(t1);
  if (now < t1) return { earliest, tooManyMissed: false };
  if (now < t2) return { earliest, mostRecent: t1, tooManyMissed: false };
  const gapSeconds = Math.round((t2 - t1) / 1000);
  if (gapSeconds < 1) throw new Error('time difference between two schedules is less than 1 second');
  const missed = Math.floor(Math.floor((now - t1) / 1000) / gapSeconds) + 1;
  let mostRecent: number | undefined;
  for (let t = schedule.next(t1 + (missed - 2) * gapSeconds * 1000); t <= now; t = schedule.next(t)) mostRecent = t;
  const tooManyMissed = missed > TOO_MANY_MISSED;
  return mostRecent === undefined ? { earliest, tooManyMissed } : { earliest, mostRecent, tooManyMissed };
}

/** Upstream `nextScheduleTimeDuration`: how long until 100 ms after the next schedule time. */
export function msUntilNextSchedule(state: ScheduleState, now: number, schedule: Schedule): number {
  const check = mostRecentScheduleTime(state, now, schedule, false);
  return schedule.next(check.mostRecent ?? check.earliest) + NEXT_SCHEDULE_DELTA_MS - now;
}

/** Upstream `getTimeHashInMinutes`: the scheduled time in minutes since the epoch, the job name suffix. */
export function scheduledTimeHash(scheduledTime: number): number {
  return Math.floor(scheduledTime / 60_000);
}

/** `ms` as Go's RFC 3339 in `timeZone` (UTC without one): `2026-01-01T09:00:00-05:00`, or `…Z` at offset 0. */
export function rfc3339In(ms: number, timeZone: string | undefined): string {
  const zone = timeZone === undefined || timeZone === '' ? 'UTC' : timeZone;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'longOffset',
  }).formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const offset = part('timeZoneName').replace('GMT', '');
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}${offset === '' || offset === '+00:00' ? 'Z' : offset}`;
}
