/**
 * What one run of the API benchmark measured (the JSON written to bench/results/),
 * and the targets checked against it.
 */
import type { ListTiming } from './apiClients.js';
import type { LoadResult } from './load.js';
import type { Memory } from './procfs.js';

/** The datastore a k8ts server runs on. */
export type Backend = 'sqlite' | 'etcd';

/** Fixed sizes of a run (full or --quick). */
export interface BenchSettings {
  mode: 'full' | 'quick';
  /** Measured creates (or raw etcd writes) per concurrency level. */
  operationsPerLevel: number;
  concurrencyLevels: number[];
  /** The level the targets are checked at. */
  targetConcurrency: number;
  /** Unmeasured creates (or writes) before the first level, at the target concurrency. */
  warmupOperations: number;
  /** ConfigMaps in the namespace that is listed. */
  listSize: number;
  listPageSize: number;
  /** Each LIST is timed this many times; the median is reported. */
  listRepeats: number;
  /** How long a fresh server idles before its idle memory is read. */
  idleSeconds: number;
  /** The whole run is stopped (and cleaned up) after this long. */
  timeoutSeconds: number;
}

/** CPU time (user + system) per operation, ms, of each process taking part. */
export interface CpuPerOperation {
  /** The benchmark process itself: the clients. */
  bench: number;
  /** The `k8ts server` process, when one took part. */
  k8ts?: number;
  /** The etcd process, when one took part. */
  etcd?: number;
}

/** A load run with the CPU it cost. */
export interface MeasuredLoad extends LoadResult {
  cpuMsPerOperation: CpuPerOperation;
}

/** Raw etcd writes through the etcd3 client, one result per concurrency level. */
export interface RawEtcdRun {
  put: MeasuredLoad[];
  txnCreate: MeasuredLoad[];
}

/** One fresh k8ts server on one backend. */
export interface BackendRun {
  backend: Backend;
  memory: { idle: Memory; afterRun: Memory };
  /** Creates through RestClient over HttpsTransport, one result per concurrency level. */
  creates: MeasuredLoad[];
  /** Creates through bare node:https at the target concurrency. */
  createsNodeHttps: MeasuredLoad;
  /** Filling the listed namespace (RestClient, target concurrency). */
  listFill: MeasuredLoad;
  list: { full: ListRuns; paged: ListRuns };
}

/** Repeated timings of one kind of LIST; `error` is why the next one failed, when one did. */
export interface ListRuns {
  timings: ListTiming[];
  error?: string;
}

/** One target of the issue, checked. */
export interface TargetCheck {
  backend: Backend;
  description: string;
  value: number;
  limit: number;
  comparison: '≥' | '≤';
  unit: string;
  pass: boolean;
}

/** Everything one run wrote. */
export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  settings: BenchSettings;
  environment: { node: string; cpus: number; loadAverageAtStart: number[] };
  /** The client the k8ts creates are measured with (node:https is a comparison row). */
  client: string;
  rawEtcd: RawEtcdRun;
  k8ts: BackendRun[];
  /** k8ts creates/s divided by raw etcd puts/s at the same concurrency. */
  ratios: { backend: Backend; concurrency: number; ratio: number }[];
  targets: TargetCheck[];
}

/** The targets. */
export const TARGETS = { minCreateRatio: 0.5, maxP99Ms: 50, maxIdleRssMiB: 120 } as const;

/** The result at `concurrency` in `results`; throws when that level was not run. */
export function atConcurrency<T extends LoadResult>(results: readonly T[], concurrency: number): T {
  const found = results.find((r) => r.concurrency === concurrency);
  if (found === undefined) throw new Error(`no result at ${concurrency} clients`);
  return found;
}

/** k8ts-create / raw-etcd-put throughput ratios for every backend and level. */
export function createRatios(raw: RawEtcdRun, k8ts: readonly BackendRun[]): BenchResults['ratios'] {
  return k8ts.flatMap((run) =>
    run.creates.map((create) => ({
      backend: run.backend,
      concurrency: create.concurrency,
      ratio: create.perSecond / atConcurrency(raw.put, create.concurrency).perSecond,
    })),
  );
}

/** The three targets for every backend. */
export function checkTargets(settings: BenchSettings, raw: RawEtcdRun, k8ts: readonly BackendRun[]): TargetCheck[] {
  const level = settings.targetConcurrency;
  return k8ts.flatMap((run): TargetCheck[] => {
    const creates = atConcurrency(run.creates, level);
    const ratio = creates.perSecond / atConcurrency(raw.put, level).perSecond;
    return [
      atLeast(run.backend, `creates / raw etcd puts at ${level} clients`, ratio, TARGETS.minCreateRatio, ''),
      atMost(run.backend, `p99 create latency at ${level} clients`, creates.p99Ms, TARGETS.maxP99Ms, 'ms'),
      atMost(run.backend, 'idle RSS of k8ts server', run.memory.idle.rssMiB, TARGETS.maxIdleRssMiB, 'MiB'),
    ];
  });
}

function atLeast(backend: Backend, description: string, value: number, limit: number, unit: string): TargetCheck {
  return { backend, description, value, limit, comparison: '≥', unit, pass: value >= limit };
}

function atMost(backend: Backend, description: string, value: number, limit: number, unit: string): TargetCheck {
  return { backend, description, value, limit, comparison: '≤', unit, pass: value <= limit };
}
