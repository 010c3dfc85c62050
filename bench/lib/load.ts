/**
 * Closed-loop load: a fixed number of workers each keep one operation in flight until
 * a fixed number of operations is done. Reports throughput and latency percentiles.
 */

/** Throughput and latency of one load run. */
export interface LoadResult {
  operations: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** One operation: `index` is unique in the run (0 ≤ index < total), `worker` is the issuing worker (0 ≤ worker < concurrency). */
export type Operation = (index: number, worker: number) => Promise<void>;

/**
 * Runs `total` operations with `concurrency` workers. The first failing operation
 * stops every worker (after its current operation) and rejects the run.
 */
export async function runLoad(total: number, concurrency: number, operation: Operation): Promise<LoadResult> {
  const latencies = new Float64Array(total);
  let next = 0;
  let failed = false;
  const work = async (worker: number): Promise<void> => {
    while (!failed && next < total) {
      const index = next++;
      const started = performance.now();
      try {
        await operation(index, worker);
      } catch (err) {
        failed = true;
        throw err;
      }
      latencies[index] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, worker) => work(worker)));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort();
  return {
    operations: total,
    concurrency,
    seconds,
    perSecond: total / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies[total - 1] ?? Number.NaN,
  };
}

/** The nearest-rank `q` quantile (0 < q ≤ 1) of ascending `sorted` samples; NaN when empty. */
export function percentile(sorted: Float64Array, q: number): number {
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** The median of a few measurements (the lower middle one for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  return percentile(Float64Array.from(values).sort(), 0.5);
}
