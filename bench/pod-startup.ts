/**
 * bench/pod-startup: the pod start benchmark of k8ts (a benchmark, not a test; it
 * never fails on numbers). Build first, then run from the repository root as root:
 *
 *   npm run build && node dist/scripts/generate-openapi.js
 *   node dist/bench/pod-startup.js [--quick]      (or: npm run bench:pod-startup [-- --quick])
 *
 * In one run it measures, each against freshly started processes:
 *   1. create → Running of busybox pods (`sleep 3600`, bound to the node) on a real
 *      `k8ts server`, one at a time and all at once: p50/p99 from the client's view
 *      (create call → watch event with phase Running) and from the pod's timestamps
 *      (creationTimestamp → containerStatuses[0].state.running.startedAt, whole
 *      seconds as upstream), then every pod deleted and awaited until gone;
 *   2. the raw CRI floor: RunPodSandbox + CreateContainer + StartContainer of the same
 *      pod against a containerd of its own (own bridge and /24), one at a time;
 *   3. the peer: `podman kube play` of the same pod, one at a time, with a private
 *      podman configuration and network on 198.18.250.0/24 (skipped when podman is
 *      not installed; the benchmark installs nothing);
 *   4. the k8ts server's CPU while the concurrent batch idles, % of one core.
 * It prints a table with the targets marked PASS/MISS and writes the numbers
 * to bench/results/pod-startup-<timestamp>.json. `--quick` runs 10 pods per batch.
 * Every server, containerd, container, bridge, podman object and temp dir (all under
 * one TMPDIR of its own) is removed at the end, on error, on SIGINT/SIGTERM and at the
 * global timeout. Progress goes to stderr.
 */
import { cpus, loadavg } from 'node:os';
import { runIfMain } from './lib/command.js';
import type { Lifetimes } from './lib/lifetimes.js';
import type { Progress } from './lib/measure.js';
import { measureK8tsPods } from './lib/podLatency.js';
import { measurePodman } from './lib/podmanPeer.js';
import { renderPodReport } from './lib/podReport.js';
import { checkPodTargets } from './lib/podResults.js';
import type { PodBenchResults, PodBenchSettings } from './lib/podResults.js';
import { measureRawCri } from './lib/rawCri.js';

/** Sizes of a full run. */
export const FULL_SETTINGS: PodBenchSettings = {
  mode: 'full',
  pods: 50,
  podmanRuns: 20,
  idleCpuSeconds: 30,
  podTimeoutSeconds: 120,
  timeoutSeconds: 20 * 60,
};

/** Sizes of a `--quick` smoke run. */
export const QUICK_SETTINGS: PodBenchSettings = {
  ...FULL_SETTINGS,
  mode: 'quick',
  pods: 10,
  podmanRuns: 5,
  idleCpuSeconds: 10,
  timeoutSeconds: 8 * 60,
};

const USAGE = 'Usage: node dist/bench/pod-startup.js [--quick]   (as root: it runs containers)\n';

/** Runs every phase and returns what was measured. */
export async function runPodStartupBench(settings: PodBenchSettings, lifetimes: Lifetimes, progress: Progress): Promise<PodBenchResults> {
  const startedAt = new Date().toISOString();
  const environment = { node: process.version, cpus: cpus().length, loadAverageAtStart: loadavg() };
  const rawCri = await measureRawCri(settings, lifetimes, progress);
  const k8ts = await measureK8tsPods(settings, lifetimes, progress);
  const podman = await measurePodman(settings, lifetimes, progress);
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    settings,
    environment,
    k8ts,
    rawCri,
    podman,
    targets: checkPodTargets(k8ts, rawCri, podman),
  };
}

/** This benchmark for the shared command line. */
export const BENCHMARK = { name: 'pod-startup', usage: USAGE, full: FULL_SETTINGS, quick: QUICK_SETTINGS, run: runPodStartupBench, render: renderPodReport };

await runIfMain(import.meta.url, BENCHMARK);
