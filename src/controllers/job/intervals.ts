/**
 * Sets of completion indexes in the compressed text form Job status uses
 * (`status.completedIndexes`, `status.failedIndexes`): ascending, comma-separated
 * intervals where `3-5` covers three or more consecutive indexes and two neighbours
 * are written `3,4`.
 */

/** One closed interval of indexes. */
export interface Interval {
  first: number;
  last: number;
}

/** Ascending, non-overlapping, non-adjacent intervals. */
export type Intervals = readonly Interval[];

/**
 * Parses `text`, keeping only indexes below `completions`; corrupt intervals are
 * skipped (as upstream does, so a hand-edited status never stops a Job).
 */
export function parseIntervals(text: string | undefined, completions: number): Interval[] {
  if (!text) return [];
  const result: Interval[] = [];
  for (const part of text.split(',')) {
    const bounds = part.split('-');
    if (bounds.length > 2 || !bounds.every((b) => /^[0-9]+$/.test(b))) continue;
    const first = Number(bounds[0]);
    if (first >= completions) break;
    const last = Math.min(bounds.length === 2 ? Number(bounds[1]) : first, completions - 1);
    if (last < first) continue;
    result.push({ first, last });
  }
  return withIndexes(result, []);
}

/** `intervals` with `indexes` (any order, duplicates allowed) added, merged. */
export function withIndexes(intervals: Intervals, indexes: readonly number[]): Interval[] {
  const all: Interval[] = [...intervals, ...indexes.map((i) => ({ first: i, last: i }))].sort((a, b) => a.first - b.first);
  const merged: Interval[] = [];
  for (const next of all) {
    const last = merged[merged.length - 1];
    if (last !== undefined && next.first <= last.last + 1) last.last = Math.max(last.last, next.last);
    else merged.push({ ...next });
  }
  return merged;
}

/** The number of indexes covered. */
export function totalOf(intervals: Intervals): number {
  return intervals.reduce((sum, i) => sum + i.last - i.first + 1, 0);
}

/** True when `index` is covered. */
export function hasIndex(intervals: Intervals, index: number): boolean {
  return intervals.some((i) => i.first <= index && index <= i.last);
}

/** The compressed text form. */
export function formatIntervals(intervals: Intervals): string {
  return intervals
    .map((i) => (i.last === i.first ? `${i.first}` : i.last === i.first + 1 ? `${i.first},${i.last}` : `${i.first}-${i.last}`))
    .join(',');
}

/** The first `count` indexes below `completions` covered by neither `done` nor `busy`. */
export function firstPendingIndexes(done: Intervals, busy: readonly number[], count: number, completions: number): number[] {
  const taken = withIndexes(done, busy);
  const result: number[] = [];
  for (let candidate = 0; candidate < completions && result.length < count; candidate++) {
    const covering = taken.find((i) => i.first <= candidate && candidate <= i.last);
    if (covering !== undefined) candidate = covering.last;
    else result.push(candidate);
  }
  return result;
}
