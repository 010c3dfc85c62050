/**
 * The command line every benchmark shares: `--quick`/`--help`, a progress log with
 * elapsed seconds, an overall deadline and cleanup of everything started (also on
 * SIGINT/SIGTERM), the report on stdout and the results as JSON in bench/results/.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../../test/support/cluster.js';
import { Lifetimes, guardProcess, isolateTmpdir } from './lifetimes.js';
import type { Progress } from './measure.js';

/** One benchmark as the command runs it. */
export interface Benchmark<S extends { timeoutSeconds: number }, R extends { startedAt: string }> {
  /** Names the JSON file (`<name>-<timestamp>.json`) and error messages (`bench/<name>`). */
  name: string;
  usage: string;
  full: S;
  quick: S;
  run(settings: S, lifetimes: Lifetimes, progress: Progress): Promise<R>;
  render(results: R): string;
}

/** `20250102T030405Z`: an ISO 8601 (basic format) timestamp usable in file names. */
function fileTimestamp(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Parses `argv`, runs `bench`, prints its report and writes its JSON; resolves to the exit code. */
export async function runBenchmark<S extends { timeoutSeconds: number }, R extends { startedAt: string }>(bench: Benchmark<S, R>, argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { quick: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help === true) {
    process.stdout.write(bench.usage);
    return 0;
  }
  const settings = values.quick === true ? bench.quick : bench.full;
  const began = performance.now();
  const progress: Progress = (line) => process.stderr.write(`[${((performance.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  const lifetimes = new Lifetimes();
  const unguard = guardProcess(lifetimes, settings.timeoutSeconds * 1000);
  try {
    await isolateTmpdir(lifetimes);
    const results = await bench.run(settings, lifetimes, progress);
    process.stdout.write(`\n${bench.render(results)}`);
    const dir = join(REPO_ROOT, 'bench', 'results');
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${bench.name}-${fileTimestamp(results.startedAt)}.json`);
    await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`\nresults written to ${file}\n`);
    return 0;
  } finally {
    await lifetimes.stopAll();
    unguard();
  }
}

/** Runs `bench` with the process's arguments when `moduleUrl` is the script node was started with. */
export async function runIfMain<S extends { timeoutSeconds: number }, R extends { startedAt: string }>(moduleUrl: string, bench: Benchmark<S, R>): Promise<void> {
  const script = process.argv[1];
  if (script === undefined || moduleUrl !== pathToFileURL(resolve(script)).href) return;
  try {
    process.exitCode = await runBenchmark(bench, process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench/${bench.name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
}
