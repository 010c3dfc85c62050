/**
 * bench/api: the API benchmark of k8ts (a benchmark, not a test; it never fails on
 * numbers). Build first, then run from the repository root:
 *
 *   npm run build && node dist/scripts/generate-openapi.js
 *   node dist/bench/api.js [--quick]      (or: npm run bench:api [-- --quick])
 *
 * In one run it measures, each against freshly started processes on loopback:
 *   1. creates of 1 KiB ConfigMaps (objects/s, p50/p99 ms) with 1, 16 and 64 clients
 *      against `k8ts server` on SQLite and on etcd (the project's RestClient over
 *      HttpsTransport; bare node:https at 16 clients for comparison);
 *   2. the reference: the same writes straight into etcd through the etcd3 client
 *      (plain puts, and the create-if-absent transaction k8ts issues), and the ratio
 *      k8ts creates / raw etcd puts per level;
 *   3. LIST of all ConfigMaps of a namespace holding 10,000, in one request and in
 *      pages of 500;
 *   4. RSS of the server process after idling, and after the run.
 * It prints a table with the targets marked PASS/MISS and writes the numbers
 * to bench/results/api-<timestamp>.json. `--quick` is a small smoke run.
 * Every server, etcd and temp dir (all under one TMPDIR of its own) is removed at the
 * end, on error, on SIGINT/SIGTERM and at the global timeout. Progress goes to stderr.
 */
import { cpus, loadavg } from 'node:os';
import { runIfMain } from './lib/command.js';
import type { Lifetimes } from './lib/lifetimes.js';
import { measureK8ts, measureRawEtcd } from './lib/measure.js';
import type { Progress } from './lib/measure.js';
import { renderReport } from './lib/report.js';
import { checkTargets, createRatios } from './lib/results.js';
import type { BackendRun, BenchResults, BenchSettings } from './lib/results.js';

/** Sizes of a full run. */
export const FULL_SETTINGS: BenchSettings = {
  mode: 'full',
  operationsPerLevel: 2000,
  concurrencyLevels: [1, 16, 64],
  targetConcurrency: 16,
  warmupOperations: 200,
  listSize: 10_000,
  listPageSize: 500,
  listRepeats: 3,
  idleSeconds: 5,
  timeoutSeconds: 15 * 60,
};

/** Sizes of a `--quick` smoke run. */
export const QUICK_SETTINGS: BenchSettings = {
  ...FULL_SETTINGS,
  mode: 'quick',
  operationsPerLevel: 100,
  warmupOperations: 20,
  listSize: 500,
  listPageSize: 100,
  listRepeats: 1,
  idleSeconds: 2,
  timeoutSeconds: 5 * 60,
};

const USAGE = 'Usage: node dist/bench/api.js [--quick]\n';

/** Runs every phase and returns what was measured. */
export async function runApiBench(settings: BenchSettings, lifetimes: Lifetimes, progress: Progress): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  const environment = { node: process.version, cpus: cpus().length, loadAverageAtStart: loadavg() };
  const rawEtcd = await measureRawEtcd(settings, lifetimes, progress);
  const k8ts: BackendRun[] = [];
  for (const backend of ['sqlite', 'etcd'] as const) k8ts.push(await measureK8ts(backend, settings, lifetimes, progress));
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    settings,
    environment,
    client: 'RestClient over HttpsTransport (src/client), one keep-alive TLS connection per client; node:https row for comparison',
    rawEtcd,
    k8ts,
    ratios: createRatios(rawEtcd, k8ts),
    targets: checkTargets(settings, rawEtcd, k8ts),
  };
}

/** This benchmark for the shared command line. */
export const BENCHMARK = { name: 'api', usage: USAGE, full: FULL_SETTINGS, quick: QUICK_SETTINGS, run: runApiBench, render: renderReport };

await runIfMain(import.meta.url, BENCHMARK);
