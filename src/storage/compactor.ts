/**
 * Background compaction, as the apiserver runs it against etcd: every interval, discard
 * history older than both the revision seen one interval ago and the last
 * `keepRevisions` revisions. So history stays bounded while every change stays
 * watchable for at least one interval.
 */
import type { Store } from './store.js';

/** How much history a compactor keeps. */
export interface CompactionPolicy {
  /** How often to compact, in milliseconds. */
  intervalMs: number;
  /** Always keep at least this many most recent revisions. */
  keepRevisions: number;
}

/** The default policy: every 5 minutes (upstream's period), keeping at least 10 000 revisions. */
export const defaultCompactionPolicy: CompactionPolicy = { intervalMs: 5 * 60_000, keepRevisions: 10_000 };

/** What a compactor needs: a Store or any KV. */
export type Compactable = Pick<Store, 'currentRevision' | 'compact'>;

/**
 * Runs compaction on a timer until `signal` aborts. Never overlaps runs; the timer does
 * not keep the process alive. Failures go to `onError` and the next tick tries again.
 */
export function startCompactor(
  target: Compactable,
  policy: CompactionPolicy,
  signal: AbortSignal,
  onError: (err: unknown) => void = () => undefined,
): void {
  let seenLastTick: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (signal.aborted) return;
    timer = setTimeout(() => void tick(), policy.intervalMs);
    timer.unref();
  };
  const tick = async (): Promise<void> => {
    try {
      const current = await target.currentRevision();
      if (seenLastTick !== undefined) {
        const revision = Math.min(seenLastTick, current - policy.keepRevisions);
        if (revision > 0 && !signal.aborted) await target.compact(revision);
      }
      seenLastTick = current;
    } catch (err) {
      onError(err);
    }
    schedule();
  };
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  schedule();
}
