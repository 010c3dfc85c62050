/**
 * The kubelet node loops' pacing: run a step, wait the delay it returns on the
 * injected clock (none when it is 0), repeat until the signal aborts. A step that throws is reported and
 * followed by the failure delay; nothing runs after abort.
 */
import { sleep, type Clock } from '../../client/index.js';

/** One loop's step and what to do with its failures. */
export interface PeriodicStep {
  /** Does one pass; resolves to the milliseconds to wait before the next. */
  run(signal: AbortSignal): Promise<number>;
  /** Milliseconds to wait after `run` threw (given how many failures in a row). */
  delayAfterFailure(failures: number): number;
  onError?(err: unknown): void;
}

/** Runs `step` until `signal` aborts; resolves once the last pass has finished. */
export async function runPeriodically(clock: Clock, signal: AbortSignal, step: PeriodicStep): Promise<void> {
  let failures = 0;
  while (!signal.aborted) {
    let delay: number;
    try {
      delay = await step.run(signal);
      failures = 0;
    } catch (err) {
      if (signal.aborted) return;
      failures++;
      step.onError?.(err);
      delay = step.delayAfterFailure(failures);
    }
    if (delay > 0) await sleep(clock, delay, signal);
  }
}

/** Exponential backoff from `initialMs`, doubling per failure, capped at `maxMs`. */
export function exponentialBackoff(initialMs: number, maxMs: number): (failures: number) => number {
  return (failures) => Math.min(maxMs, initialMs * 2 ** Math.max(0, failures - 1));
}
