/**
 * The pod-startup benchmark's printed report: latencies of k8ts, the raw CRI floor
 * and podman side by side, idle CPU, and the targets marked PASS or MISS.
 */
import type { LatencyStats, PodBenchResults } from './podResults.js';
import { renderTable } from './report.js';

const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');

function row(label: string, view: string, stats: LatencyStats): string[] {
  return [label, view, String(stats.samples), fixed(stats.p50Ms, 0), fixed(stats.p99Ms, 0), fixed(stats.maxMs, 0)];
}

/** The whole report for `results`. */
export function renderPodReport(results: PodBenchResults): string {
  const { settings, k8ts, rawCri, podman, environment } = results;
  const sections: string[] = [];
  sections.push(
    `k8ts pod-startup benchmark (${settings.mode}): ${settings.pods} pods per batch, ${settings.podmanRuns} podman runs; ` +
      `node ${environment.node}, ${environment.cpus} CPUs, load at start ${environment.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}`,
  );
  const rows: string[][] = [];
  for (const batch of k8ts.batches) {
    rows.push(row(`k8ts ${batch.kind}`, 'client: create → watch Running', batch.client));
    rows.push(row(`k8ts ${batch.kind}`, 'pod: created → started (1 s res.)', batch.podTimestamps));
  }
  rows.push(row('raw CRI sequential', 'run+create+start', rawCri.total));
  rows.push(row('raw CRI sequential', '  RunPodSandbox', rawCri.runPodSandbox));
  rows.push(row('raw CRI sequential', '  CreateContainer', rawCri.createContainer));
  rows.push(row('raw CRI sequential', '  StartContainer', rawCri.startContainer));
  rows.push(row('raw CRI sequential', 'teardown (stop+remove sandbox)', rawCri.teardown));
  rows.push(row('raw CRI concurrent', 'run+create+start', rawCri.concurrent));
  if ('play' in podman) rows.push(row('podman sequential', `kube play wall (${podman.version})`, podman.play));
  sections.push(
    'Pod start latency, ms (busybox `sleep 3600` on the pod network; pod timestamps have whole-second precision, as upstream)\n' +
      renderTable(['what', 'view', 'pods', 'p50', 'p99', 'max'], rows, 2) +
      ('skipped' in podman ? `\npodman: ${podman.skipped}, skipped` : ''),
  );
  sections.push(
    'k8ts batches\n' +
      renderTable(
        ['batch', 'all Running after s', 'delete → all gone s'],
        k8ts.batches.map((b) => [b.kind, fixed(b.wallSeconds, 2), fixed(b.deleteSeconds, 2)]),
      ) +
      `\nraw CRI concurrent: all ${settings.pods} started after ${fixed(rawCri.concurrentWallSeconds, 2)} s` +
      `\nk8ts server CPU with ${settings.pods} pods idle: ${fixed(k8ts.idleCpuPercent, 2)} % of one core over ${k8ts.idleCpuSeconds} s; ` +
      `${fixed(k8ts.noPodsCpuPercent, 2)} % before any pod (k8ts process only; containerd and shims not counted)`,
  );
  const targetRows = results.targets.map((t) => [
    t.pass ? 'PASS' : 'MISS',
    t.description,
    `${fixed(t.value, t.unit === '%' ? 2 : 0)} ${t.unit} ${t.comparison} ${t.limit} ${t.unit}`,
  ]);
  sections.push('Targets (reported, not enforced)\n' + renderTable(['', 'target', 'measured'], targetRows, 3));
  return sections.join('\n\n') + '\n';
}
