/**
 * bench/scheduler: the kube-scheduler throughput benchmark of k8ts (a benchmark, not a
 * test; it never fails on numbers). Build first, then run from the repository root:
 *
 *   npm run build && node dist/scripts/generate-openapi.js
 *   node dist/bench/scheduler.js [--quick]
 *
 * For each case — basic (500, 1000) and (5000, 10000), and (5000, 10000) with pod
 * anti-affinity and with topology spread; `--quick` runs only the first — a fresh `k8ts server --disable kubelet,controllers` gets that many fake nodes and then
 * that many pods at once (see lib/schedulerThroughput.ts); it prints pods/s from the
 * first create to the last binding beside upstream scheduler_perf's SchedulingBasic
 * 5000/10000 threshold (680 pods/s) and writes the numbers to
 * bench/results/scheduler-<timestamp>.json. Every server and temp dir is removed at the
 * end, on error, on SIGINT/SIGTERM and at the global timeout. Progress goes to stderr.
 */
import { cpus, loadavg } from 'node:os';
import { runIfMain } from './lib/command.js';
import type { Lifetimes } from './lib/lifetimes.js';
import type { Progress } from './lib/measure.js';
import { renderTable } from './lib/report.js';
import { measureThroughput, type PodVariant, type ThroughputRun } from './lib/schedulerThroughput.js';

/** Upstream scheduler_perf's SchedulingBasic 5000 nodes / 10000 pods threshold (pods/s). */
export const UPSTREAM_BASIC_THRESHOLD = 680;
/** The target for k8ts (pods/s). */
export const TARGET_PODS_PER_SECOND = 1000;

/** The cases a run measures. */
export interface SchedulerBenchSettings {
  mode: 'full' | 'quick';
  cases: ReadonlyArray<{ nodes: number; pods: number; variant: PodVariant }>;
  timeoutSeconds: number;
}

/** What a run measured. */
export interface SchedulerBenchResults {
  startedAt: string;
  finishedAt: string;
  settings: SchedulerBenchSettings;
  environment: { node: string; cpus: number; loadAverageAtStart: number[] };
  runs: ThroughputRun[];
  upstreamBasicThreshold: number;
}

const FULL: SchedulerBenchSettings = {
  mode: 'full',
  cases: [
    { nodes: 500, pods: 1000, variant: 'basic' },
    { nodes: 5000, pods: 10000, variant: 'basic' },
    { nodes: 5000, pods: 10000, variant: 'anti-affinity' },
    { nodes: 5000, pods: 10000, variant: 'topology-spread' },
  ],
  timeoutSeconds: 30 * 60,
};
const QUICK: SchedulerBenchSettings = { mode: 'quick', cases: [{ nodes: 500, pods: 1000, variant: 'basic' }], timeoutSeconds: 10 * 60 };

async function run(settings: SchedulerBenchSettings, lifetimes: Lifetimes, progress: Progress): Promise<SchedulerBenchResults> {
  const startedAt = new Date().toISOString();
  const environment = { node: process.version, cpus: cpus().length, loadAverageAtStart: loadavg() };
  const runs: ThroughputRun[] = [];
  for (const c of settings.cases) runs.push(await measureThroughput(c.nodes, c.pods, c.variant, lifetimes, progress));
  return { startedAt, finishedAt: new Date().toISOString(), settings, environment, runs, upstreamBasicThreshold: UPSTREAM_BASIC_THRESHOLD };
}

function render(results: SchedulerBenchResults): string {
  const { environment } = results;
  const rows = results.runs.map((r) => [
    `${r.variant}: ${r.nodes} nodes / ${r.pods} pods`,
    r.podsPerSecond.toFixed(0),
    r.seconds.toFixed(2),
    r.createSeconds.toFixed(2),
    r.serverCpuPercent.toFixed(0),
    String(UPSTREAM_BASIC_THRESHOLD),
    r.podsPerSecond >= TARGET_PODS_PER_SECOND ? 'PASS' : 'MISS',
  ]);
  return [
    `k8ts scheduler benchmark (${results.settings.mode}): node ${environment.node}, ${environment.cpus} CPUs, load at start ${environment.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}`,
    '',
    renderTable(['case', 'pods/s', 'create→last bind s', 'creates s', 'server CPU %', 'upstream SchedulingBasic', `target ${TARGET_PODS_PER_SECOND}/s`], rows),
    '',
  ].join('\n');
}

/** This benchmark for the shared command line. */
export const BENCHMARK = { name: 'scheduler', usage: 'Usage: node dist/bench/scheduler.js [--quick]\n', full: FULL, quick: QUICK, run, render };

await runIfMain(import.meta.url, BENCHMARK);
