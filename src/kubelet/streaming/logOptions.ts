/**
 * The options of a container log request (upstream PodLogOptions as query
 * parameters), parsed and checked, and how they select and format entries.
 */
import type { LogEntry } from './criLog.js';

/** What a log request asks for. */
export interface LogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** Only entries at or after this time (ms since the epoch). */
  sinceMs?: number;
  /** Only the last N lines. */
  tailLines?: number;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
}

/** A log request whose options are unusable (answered with 400). */
export class LogOptionsError extends Error {}

function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value === 'true' || value === '1';
}

function nonNegativeInteger(query: URLSearchParams, name: string, minimum: number): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) throw new LogOptionsError(`${name}: invalid value "${value}"`);
  const n = Number(value);
  if (n < minimum) throw new LogOptionsError(`${name}: must be greater than or equal to ${minimum}`);
  return n;
}

/**
 * Reads the options from query parameters: `follow`, `previous`, `timestamps`,
 * `sinceSeconds` or `sinceTime` (RFC3339, not both), `tailLines` (≥ 0) and `limitBytes`
 * (≥ 1). Throws LogOptionsError on bad values. `now` resolves sinceSeconds.
 */
export function parseLogOptions(query: URLSearchParams, now: Date = new Date()): LogOptions {
  const sinceSeconds = nonNegativeInteger(query, 'sinceSeconds', 1);
  const sinceTime = query.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime !== null) throw new LogOptionsError('at most one of sinceTime or sinceSeconds may be specified');
  let sinceMs: number | undefined;
  if (sinceSeconds !== undefined) sinceMs = now.getTime() - sinceSeconds * 1000;
  if (sinceTime !== null) {
    sinceMs = Date.parse(sinceTime);
    if (Number.isNaN(sinceMs)) throw new LogOptionsError(`sinceTime: invalid value "${sinceTime}"`);
  }
  const tailLines = nonNegativeInteger(query, 'tailLines', 0);
  const limitBytes = nonNegativeInteger(query, 'limitBytes', 1);
  return {
    follow: flag(query, 'follow'),
    previous: flag(query, 'previous'),
    timestamps: flag(query, 'timestamps'),
    ...(sinceMs !== undefined ? { sinceMs } : {}),
    ...(tailLines !== undefined ? { tailLines } : {}),
    ...(limitBytes !== undefined ? { limitBytes } : {}),
  };
}

/** True when an entry passes the `sinceMs` filter. */
export function isRecentEnough(entry: LogEntry, options: LogOptions): boolean {
  return options.sinceMs === undefined || entry.timeMs >= options.sinceMs;
}

/** The entries of a finished read: the last `tailLines`, then those since `sinceMs`. */
export function selectEntries(entries: readonly LogEntry[], options: LogOptions): LogEntry[] {
  const tailed = options.tailLines === undefined ? entries : entries.slice(Math.max(0, entries.length - options.tailLines));
  return tailed.filter((e) => isRecentEnough(e, options));
}

/** The output text of one entry: its text, behind its timestamp when asked. */
export function formatEntry(entry: LogEntry, options: LogOptions): string {
  return options.timestamps ? `${entry.timestamp} ${entry.text}` : entry.text;
}
