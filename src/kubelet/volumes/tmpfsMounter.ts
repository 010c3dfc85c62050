/**
 * Real tmpfs mounts for memory-backed volumes (emptyDir medium Memory, and the
 * secret/downwardAPI/projected volumes upstream keeps off disk), through mount(8)
 * and umount(8); needs root (CAP_SYS_ADMIN). Mount points are read back from
 * /proc/self/mountinfo, so a restarted kubelet still finds and removes them.
 */
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Mounts tmpfs on `dir` (which must exist); `sizeBytes` limits it (`size=` option). */
export async function mountTmpfs(dir: string, sizeBytes?: number): Promise<void> {
  const args = ['-t', 'tmpfs'];
  if (sizeBytes !== undefined && sizeBytes > 0) args.push('-o', `size=${sizeBytes}`);
  await run('mount', [...args, 'tmpfs', dir]);
}

/** Unmounts `dir`; throws when it is busy or not a mount point. */
export async function unmount(dir: string): Promise<void> {
  await run('umount', [dir]);
}

function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** The mount points at or below `root` with their fs type and options, deepest first. */
export async function mountsUnder(root: string): Promise<{ path: string; fsType: string; options: string }[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const found: { path: string; fsType: string; options: string }[] = [];
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    if (left === undefined || right === undefined) continue;
    const fields = left.split(' ');
    const path = unescapeMountPath(fields[4] ?? '');
    if (path !== root && !path.startsWith(root + sep)) continue;
    const [fsType = '', , superOptions = ''] = right.split(' ');
    found.push({ path, fsType, options: superOptions });
  }
  return found.sort((a, b) => b.path.length - a.path.length);
}

/**
 * True when `dir` is itself a mount point of another filesystem than its parent's
 * (its device differs), which is what the tmpfs mounts made here are. Two stat calls:
 * cheap enough for every pod sync, unlike reading the whole mount table. False when
 * `dir` does not exist.
 */
export async function isMountPoint(dir: string): Promise<boolean> {
  try {
    const [self, parent] = await Promise.all([stat(dir), stat(dirname(dir))]);
    return self.dev !== parent.dev;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
