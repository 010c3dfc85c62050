/**
 * The node-level eviction signals as upstream's kubelet observes them, read straight
 * from the kernel (no cAdvisor): memory.available is capacity minus the root cgroup's
 * working set (usage minus inactive file pages), the filesystem signals come from
 * statfs, pid.available is pid_max minus the tasks the kernel runs. One observation
 * costs a handful of small file reads and two statfs calls.
 */
import { readFile, statfs } from 'node:fs/promises';
import type { EvictionSignal } from '../node/evictionThresholds.js';

/** What one signal looked like: the amount left and the total it is a part of. */
export interface SignalObservation {
  available: number;
  capacity: number;
}

/** The observed signals; a signal that could not be read is absent. */
export type Observations = ReadonlyMap<EvictionSignal, SignalObservation>;

/** Where the node's facts are read from. */
export interface ObservationSources {
  /** The kubelet's data dir: its filesystem is nodefs. */
  nodefsDir: string;
  /** containerd's root: its filesystem is imagefs. */
  imagefsDir: string;
  /** cgroup v1 memory controller of the root cgroup (default /sys/fs/cgroup/memory). */
  memoryCgroupDir?: string;
  procDir?: string;
}

/** A `key value` line's value of a memory.stat or meminfo text (undefined when absent). */
function statValue(text: string, key: string): number | undefined {
  const match = new RegExp(`^${key}:?\\s+(\\d+)`, 'm').exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The cgroup working set as cAdvisor computes it: usage minus inactive file pages, never negative. */
export function workingSetBytes(usageBytes: number, memoryStat: string): number {
  const inactive = statValue(memoryStat, 'total_inactive_file') ?? statValue(memoryStat, 'inactive_file') ?? 0;
  return Math.max(0, usageBytes - inactive);
}

/** The working set from /proc/meminfo (no cgroup v1 root): MemTotal − MemFree − Inactive(file). */
export function meminfoWorkingSetBytes(meminfo: string): number {
  const kib = (key: string): number => statValue(meminfo, key.replace(/[()]/g, '\\$&')) ?? 0;
  return Math.max(0, (kib('MemTotal') - kib('MemFree') - kib('Inactive(file)')) * 1024);
}

/** The number of kernel tasks of a /proc/loadavg text (`0.00 0.01 0.05 1/123 456` → 123). */
export function taskCount(loadavg: string): number {
  const match = /\s\d+\/(\d+)\s/.exec(loadavg);
  return match?.[1] === undefined ? 0 : Number(match[1]);
}

async function memoryWorkingSet(sources: ObservationSources): Promise<number> {
  const cgroup = sources.memoryCgroupDir ?? '/sys/fs/cgroup/memory';
  try {
    const [usage, stat] = await Promise.all([readFile(`${cgroup}/memory.usage_in_bytes`, 'utf8'), readFile(`${cgroup}/memory.stat`, 'utf8')]);
    return workingSetBytes(Number(usage.trim()), stat);
  } catch {
    return meminfoWorkingSetBytes(await readFile(`${sources.procDir ?? '/proc'}/meminfo`, 'utf8'));
  }
}

async function filesystem(dir: string): Promise<{ bytes: SignalObservation; inodes: SignalObservation } | undefined> {
  try {
    const fs = await statfs(dir);
    return { bytes: { available: fs.bavail * fs.bsize, capacity: fs.blocks * fs.bsize }, inodes: { available: fs.ffree, capacity: fs.files } };
  } catch {
    return undefined;
  }
}

/** The machine-wide totals the signals are measured against. */
export interface NodeCapacity {
  memoryBytes: number;
  pidMax: number;
}

/** Observes every signal upstream's Linux kubelet evicts on (containerfs is imagefs here). */
export async function observeNode(sources: ObservationSources, capacity: NodeCapacity): Promise<Observations> {
  const proc = sources.procDir ?? '/proc';
  const [workingSet, nodefs, imagefs, loadavg] = await Promise.all([
    memoryWorkingSet(sources).catch(() => undefined),
    filesystem(sources.nodefsDir),
    filesystem(sources.imagefsDir),
    readFile(`${proc}/loadavg`, 'utf8').catch(() => undefined),
  ]);
  const observations = new Map<EvictionSignal, SignalObservation>();
  if (workingSet !== undefined) observations.set('memory.available', { available: capacity.memoryBytes - workingSet, capacity: capacity.memoryBytes });
  if (nodefs !== undefined) {
    observations.set('nodefs.available', nodefs.bytes);
    observations.set('nodefs.inodesFree', nodefs.inodes);
  }
  if (imagefs !== undefined) {
    observations.set('imagefs.available', imagefs.bytes);
    observations.set('imagefs.inodesFree', imagefs.inodes);
    observations.set('containerfs.available', imagefs.bytes);
    observations.set('containerfs.inodesFree', imagefs.inodes);
  }
  if (loadavg !== undefined) observations.set('pid.available', { available: capacity.pidMax - taskCount(loadavg), capacity: capacity.pidMax });
  return observations;
}
