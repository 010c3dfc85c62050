/**
 * cgroup v1 directories under /sys/fs/cgroup (the cgroupfs driver): create a cgroup
 * with cpu and memory values, and remove a cgroup subtree from every hierarchy once
 * its processes are gone. runc creates the other controllers' directories itself when
 * it places a container under the cgroup.
 */
import { access, mkdir, readdir, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CgroupValues } from './podCgroupConfig.js';

/** Where the cgroup v1 hierarchies are mounted. */
export const CGROUP_FS_ROOT = '/sys/fs/cgroup';

/** Tries of a removal while processes of the subtree are still exiting. */
const REMOVE_TRIES = 50;
const REMOVE_RETRY_MS = 100;

function fsPath(fsRoot: string, controller: string, cgroup: string): string {
  const parts = cgroup.split('/').filter((part) => part !== '');
  if (parts.length === 0) throw new Error('refusing to touch the root cgroup');
  return join(fsRoot, controller, ...parts);
}

async function write(dir: string, file: string, value: number): Promise<void> {
  await writeFile(join(dir, file), String(value));
}

/** Whether cgroup v1 cpu and memory hierarchies are mounted under `fsRoot`. */
export async function hasCgroupV1(fsRoot: string = CGROUP_FS_ROOT): Promise<boolean> {
  try {
    await access(join(fsRoot, 'cpu', 'cpu.shares'));
    await access(join(fsRoot, 'memory', 'memory.limit_in_bytes'));
    return true;
  } catch {
    return false;
  }
}

/** Creates `cgroup` (an absolute cgroup path) in the cpu and memory hierarchies and writes `values`. */
export async function applyCgroup(cgroup: string, values: CgroupValues, fsRoot: string = CGROUP_FS_ROOT): Promise<void> {
  const cpu = fsPath(fsRoot, 'cpu', cgroup);
  const memory = fsPath(fsRoot, 'memory', cgroup);
  await mkdir(cpu, { recursive: true });
  await mkdir(memory, { recursive: true });
  if (values.cpuShares !== undefined) await write(cpu, 'cpu.shares', values.cpuShares);
  if (values.cpuPeriodUs !== undefined) await write(cpu, 'cpu.cfs_period_us', values.cpuPeriodUs);
  if (values.cpuQuotaUs !== undefined) await write(cpu, 'cpu.cfs_quota_us', values.cpuQuotaUs > 0 ? values.cpuQuotaUs : -1);
  if (values.memoryLimitBytes !== undefined && values.memoryLimitBytes > 0) await write(memory, 'memory.limit_in_bytes', values.memoryLimitBytes);
}

/** The directories of the subtree at `dir`, deepest first. */
async function subtree(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const below = await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => subtree(join(dir, e.name))));
  return [...below.flat(), dir];
}

async function removeDir(dir: string): Promise<boolean> {
  try {
    await rmdir(dir);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * Removes `cgroup` and every cgroup below it from every hierarchy; retries while
 * processes are still leaving (bounded). Resolves to whether nothing of it is left.
 */
export async function removeCgroup(cgroup: string, fsRoot: string = CGROUP_FS_ROOT): Promise<boolean> {
  const hierarchies = (await readdir(fsRoot, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory());
  for (let attempt = 0; attempt < REMOVE_TRIES; attempt++) {
    let left = false;
    for (const hierarchy of hierarchies) {
      for (const dir of await subtree(fsPath(fsRoot, hierarchy.name, cgroup))) {
        if (!(await removeDir(dir))) left = true;
      }
    }
    if (!left) return true;
    await sleep(REMOVE_RETRY_MS);
  }
  return false;
}
