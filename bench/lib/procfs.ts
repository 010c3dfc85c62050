/**
 * What Linux reports about a running process in /proc: finding a process by its
 * command-line arguments, its resident memory and its CPU time.
 */
import { spawnSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';

/** Resident memory of a process, MiB. */
export interface Memory {
  /** VmRSS: resident now. */
  rssMiB: number;
  /** VmHWM: the highest resident size so far. */
  peakMiB: number;
}

/**
 * The pid of the one process whose command line contains `args` as consecutive
 * arguments (e.g. `['--data-dir', dir]`), found by scanning /proc/<pid>/cmdline.
 * Throws when there is none, or more than one.
 */
export async function pidWithArgs(args: readonly string[]): Promise<number> {
  const wanted = `\0${args.join('\0')}\0`;
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(wanted)) found.push(Number(entry));
  }
  if (found.length !== 1) throw new Error(`expected one process with arguments ${args.join(' ')}, found ${found.length}`);
  return found[0] as number;
}

/** VmRSS and VmHWM of process `pid` from /proc/<pid>/status. */
export async function memoryOf(pid: number): Promise<Memory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (match === null) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]);
  };
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc CPU times (`getconf CLK_TCK`, 100 when that fails). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const reported = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim());
    ticksPerSecond = Number.isInteger(reported) && reported > 0 ? reported : 100;
  }
  return ticksPerSecond;
}

/** User plus system CPU time of process `pid` (all its threads) so far, ms, from /proc/<pid>/stat. */
export async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`cannot read CPU time from /proc/${pid}/stat`);
  return (ticks * 1000) / clockTicks();
}
