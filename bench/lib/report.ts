/**
 * The API benchmark's printed report: plain-text tables of creates, ratios to raw
 * etcd, LIST times, server memory and the issue's targets marked PASS or MISS.
 */
import { median } from './load.js';
import type { BenchResults, ListRuns, MeasuredLoad } from './results.js';
import { atConcurrency } from './results.js';

/** Renders rows under a header; the first `leftAligned` columns are left-aligned, the others right-aligned. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], leftAligned = 1): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, column) => (column < leftAligned ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');

const cpuCell = (ms: number | undefined): string => (ms === undefined ? '-' : fixed(ms, 3));

function loadRow(label: string, client: string, result: MeasuredLoad): string[] {
  const cpu = result.cpuMsPerOperation;
  return [
    label,
    client,
    String(result.concurrency),
    fixed(result.perSecond, 0),
    fixed(result.p50Ms, 2),
    fixed(result.p99Ms, 2),
    fixed(result.maxMs, 1),
    cpuCell(cpu.k8ts),
    cpuCell(cpu.etcd),
    cpuCell(cpu.bench),
  ];
}

/** The whole report for `results`. */
export function renderReport(results: BenchResults): string {
  const { settings, rawEtcd, k8ts } = results;
  const sections: string[] = [];
  sections.push(
    `k8ts API benchmark (${settings.mode}): ${settings.operationsPerLevel} operations per level, LIST of ${settings.listSize}; ` +
      `node ${results.environment.node}, ${results.environment.cpus} CPUs, load at start ${results.environment.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}`,
  );

  const createRows: string[][] = [];
  for (const level of settings.concurrencyLevels) {
    createRows.push(loadRow('raw etcd put', 'etcd3', atConcurrency(rawEtcd.put, level)));
    createRows.push(loadRow('raw etcd txn-create', 'etcd3', atConcurrency(rawEtcd.txnCreate, level)));
    for (const run of k8ts) createRows.push(loadRow(`k8ts on ${run.backend}`, 'RestClient', atConcurrency(run.creates, level)));
  }
  for (const run of k8ts) createRows.push(loadRow(`k8ts on ${run.backend}`, 'node:https', run.createsNodeHttps));
  sections.push(
    'Creates of 1 KiB ConfigMaps (closed loop; one keep-alive TLS connection per client, one gRPC channel for raw etcd;\n' +
      'CPU ms/op: user+system CPU per operation of the k8ts server, etcd and the benchmark process running the clients)\n' +
      renderTable(
        ['target', 'client', 'clients', 'objects/s', 'p50 ms', 'p99 ms', 'max ms', 'CPU ms/op k8ts', 'etcd', 'bench'],
        createRows,
        2,
      ),
  );

  const ratioRows = settings.concurrencyLevels.map((level) => [
    String(level),
    ...k8ts.map((run) => fixed(results.ratios.find((r) => r.backend === run.backend && r.concurrency === level)?.ratio ?? Number.NaN, 2)),
  ]);
  sections.push('k8ts creates/s ÷ raw etcd puts/s\n' + renderTable(['clients', ...k8ts.map((run) => run.backend)], ratioRows));

  const listMs = (runs: ListRuns): string => (runs.error !== undefined ? 'failed' : fixed(median(runs.timings.map((l) => l.ms)), 0));
  const listRows = k8ts.map((run) => [
    run.backend,
    listMs(run.list.full),
    listMs(run.list.paged),
    String(run.list.paged.timings[0]?.pages ?? '-'),
    fixed(run.listFill.perSecond, 0),
  ]);
  const listErrors = k8ts.flatMap((run) =>
    (['full', 'paged'] as const).flatMap((kind) => {
      const error = run.list[kind].error;
      return error === undefined ? [] : [`  ${run.backend} ${kind} LIST failed: ${error.slice(0, 300)}`];
    }),
  );
  sections.push(
    [
      `LIST of ${settings.listSize} ConfigMaps (median of ${settings.listRepeats}; until the client has decoded every item)`,
      renderTable(['backend', 'full ms', `paged ms (limit ${settings.listPageSize})`, 'pages', 'fill creates/s'], listRows),
      ...listErrors,
    ].join('\n'),
  );

  const memoryRows = k8ts.map((run) => [
    run.backend,
    fixed(run.memory.idle.rssMiB, 1),
    fixed(run.memory.afterRun.rssMiB, 1),
    fixed(run.memory.afterRun.peakMiB, 1),
  ]);
  sections.push(
    `k8ts server memory, MiB (idle: ${settings.idleSeconds} s after ready)\n` +
      renderTable(['backend', 'idle RSS', 'RSS after run', 'peak RSS'], memoryRows),
  );

  const targetRows = results.targets.map((t) => [
    t.pass ? 'PASS' : 'MISS',
    t.backend,
    t.description,
    `${fixed(t.value, 2)}${t.unit === '' ? '' : ` ${t.unit}`} ${t.comparison} ${t.limit}${t.unit === '' ? '' : ` ${t.unit}`}`,
  ]);
  sections.push('Targets (reported, not enforced)\n' + renderTable(['', 'backend', 'target', 'measured'], targetRows, 4));
  return sections.join('\n\n') + '\n';
}
