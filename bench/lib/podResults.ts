/**
 * What one run of the pod-startup benchmark measured (the JSON written to
 * bench/results/), latency summaries, and the targets checked against it.
 */
import { percentile } from './load.js';

/** p50/p99/max of a set of latencies, ms. */
export interface LatencyStats {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Summarises `latenciesMs` (nearest-rank percentiles). */
export function latencyStats(latenciesMs: readonly number[]): LatencyStats {
  const sorted = Float64Array.from(latenciesMs).sort();
  return { samples: sorted.length, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: sorted[sorted.length - 1] ?? Number.NaN };
}

/** Fixed sizes of a run (full or --quick). */
export interface PodBenchSettings {
  mode: 'full' | 'quick';
  /** Pods per k8ts batch (sequential, then concurrent) and raw CRI pods. */
  pods: number;
  /** Sequential `podman kube play` runs. */
  podmanRuns: number;
  /** How long the server's CPU is sampled while the concurrent batch idles. */
  idleCpuSeconds: number;
  /** Wait for one pod (or one batch) to run, or to be gone. */
  podTimeoutSeconds: number;
  /** The whole run is stopped (and cleaned up) after this long. */
  timeoutSeconds: number;
}

/** One batch of pods through `k8ts server`. */
export interface K8tsBatch {
  kind: 'sequential' | 'concurrent';
  /** Client's view: create call sent → watch event with phase Running. */
  client: LatencyStats;
  /** Pod's view: creationTimestamp → containerStatuses[0].state.running.startedAt (whole seconds, as upstream). */
  podTimestamps: LatencyStats;
  /** First create sent → last pod Running, s. */
  wallSeconds: number;
  /** Delete of every pod sent → watch saw the last one gone, s. */
  deleteSeconds: number;
}

/** The k8ts phase. */
export interface K8tsRun {
  batches: K8tsBatch[];
  /** CPU of the `k8ts server` process while the concurrent batch idled, % of one core. */
  idleCpuPercent: number;
  /** The same, sampled as long, before any pod existed (the node's own upkeep). */
  noPodsCpuPercent: number;
  idleCpuSeconds: number;
}

/** The raw CRI floor: RunPodSandbox + CreateContainer + StartContainer against a separate containerd. */
export interface RawCriRun {
  total: LatencyStats;
  runPodSandbox: LatencyStats;
  createContainer: LatencyStats;
  startContainer: LatencyStats;
  /** StopPodSandbox + RemovePodSandbox per pod. */
  teardown: LatencyStats;
  /** The same pods started all at once: each pod's run+create+start (not part of the floor). */
  concurrent: LatencyStats;
  /** First RunPodSandbox sent → last StartContainer returned, s. */
  concurrentWallSeconds: number;
}

/** The peer: sequential `podman kube play` wall times, or why it was skipped. */
export type PodmanRun = { skipped: string } | { version: string; play: LatencyStats };

/** One target, checked. */
export interface PodTarget {
  description: string;
  value: number;
  limit: number;
  unit: string;
  comparison: '≤' | '<';
  pass: boolean;
}

/** The JSON document of one run. */
export interface PodBenchResults {
  startedAt: string;
  finishedAt: string;
  settings: PodBenchSettings;
  environment: { node: string; cpus: number; loadAverageAtStart: number[] };
  k8ts: K8tsRun;
  rawCri: RawCriRun;
  podman: PodmanRun;
  targets: PodTarget[];
}

function target(description: string, value: number, comparison: PodTarget['comparison'], limit: number, unit: string): PodTarget {
  const pass = comparison === '≤' ? value <= limit : value < limit;
  return { description, value, limit, unit, comparison, pass };
}

/**
 * The targets: p50 ≤ 1.5× the raw CRI floor, p99 ≤ 1 s, faster than podman,
 * idle CPU < 2 % of a core (client's view, each batch). Each batch is held against the
 * floor of the same shape: the sequential batch against raw CRI one at a time, the
 * concurrent batch against raw CRI all at once (the p99 row names that floor's p99,
 * which bounds what any kubelet can reach on the machine); podman runs one at a time,
 * so only the sequential batch is compared with it.
 */
export function checkPodTargets(k8ts: K8tsRun, rawCri: RawCriRun, podman: PodmanRun): PodTarget[] {
  const targets: PodTarget[] = [];
  for (const batch of k8ts.batches) {
    const floor = batch.kind === 'sequential' ? rawCri.total : rawCri.concurrent;
    const floorName = batch.kind === 'sequential' ? 'raw CRI p50' : 'raw CRI concurrent p50';
    targets.push(target(`${batch.kind}: p50 create→Running ≤ 1.5 × ${floorName} (${floor.p50Ms.toFixed(0)} ms)`, batch.client.p50Ms, '≤', Math.round(1.5 * floor.p50Ms), 'ms'));
    targets.push(target(`${batch.kind}: p99 create→Running ≤ 1 s (raw CRI floor p99 ${floor.p99Ms.toFixed(0)} ms)`, batch.client.p99Ms, '≤', 1000, 'ms'));
    if ('play' in podman && batch.kind === 'sequential') {
      targets.push(target(`${batch.kind}: p50 create→Running < podman kube play p50`, batch.client.p50Ms, '<', Math.round(podman.play.p50Ms), 'ms'));
    }
  }
  targets.push(target('server CPU with the pods idle < 2 % of one core', k8ts.idleCpuPercent, '<', 2, '%'));
  return targets;
}
