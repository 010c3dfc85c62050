/**
 * Upstream `slowStartBatch`: runs `count` calls in batches of 1, 2, 4, … (each batch
 * in parallel), stopping after the first batch with a failure, so a controller that
 * cannot create pods (quota, admission) sends one failing request, not hundreds.
 */

/** What the batches achieved: successes, and the first error if a batch failed. */
export interface SlowStartResult {
  successes: number;
  error?: unknown;
}

/** Runs `call` up to `count` times in doubling batches starting at `initialBatch`. */
export async function slowStartBatch(count: number, initialBatch: number, call: () => Promise<void>): Promise<SlowStartResult> {
  let successes = 0;
  let remaining = count;
  for (let batch = Math.min(remaining, initialBatch); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => call()));
    successes += results.filter((r) => r.status === 'fulfilled').length;
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) return { successes, error: failed.reason };
    remaining -= batch;
  }
  return { successes };
}
