/**
 * Termination messages (upstream): each container instance gets an empty host file
 * `<podDir>/containers/<name>/<restartCount>` bound at its terminationMessagePath.
 * After it exits, the file's first 4096 bytes are its message; with policy
 * FallbackToLogsOnError, a failed container (exit code ≠ 0) whose file is empty gets
 * the tail of its log instead (last 80 lines, at most 2048 bytes).
 */
import { mkdir, open, readFile, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { ContainerStatus, Mount } from '../runtime/cri/types.js';
import { RuntimeKey } from './runtimeLabels.js';
import { parseCriLog } from './streaming/criLog.js';

/** Upstream's limit on a termination message read from the file. */
export const MAX_TERMINATION_MESSAGE_BYTES = 4096;
/** Upstream's limits on a termination message taken from the log. */
export const MAX_TERMINATION_LOG_LINES = 80;
export const MAX_TERMINATION_LOG_BYTES = 2048;

/** Where the host file of one container instance's termination message lives. */
export function terminationMessageFile(podDir: string, containerName: string, restartCount: number): string {
  return join(podDir, 'containers', containerName, String(restartCount));
}

/** Creates the empty, world-writable message file of one container instance and returns its mount; undefined when the container has no terminationMessagePath. */
export async function prepareTerminationMessage(podDir: string, container: Container, restartCount: number): Promise<Mount | undefined> {
  const containerPath = container.terminationMessagePath ?? '/dev/termination-log';
  if (containerPath === '') return undefined;
  const hostPath = terminationMessageFile(podDir, container.name, restartCount);
  await mkdir(join(podDir, 'containers', container.name), { recursive: true });
  await writeFile(hostPath, '');
  await chmod(hostPath, 0o666);
  return { containerPath, hostPath, readonly: false, selinuxRelabel: false, propagation: 'PROPAGATION_PRIVATE' };
}

async function readHead(path: string, limit: number): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
  try {
    const buffer = Buffer.alloc(limit);
    const { bytesRead } = await handle.read(buffer, 0, limit, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The last 80 lines of a CRI log, cut to its last 2048 bytes. */
async function logTail(logPath: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(logPath, 'utf8');
  } catch {
    return '';
  }
  const tail = parseCriLog(text).slice(-MAX_TERMINATION_LOG_LINES).map((e) => e.text).join('');
  const bytes = Buffer.from(tail, 'utf8');
  return bytes.length <= MAX_TERMINATION_LOG_BYTES ? tail : bytes.subarray(bytes.length - MAX_TERMINATION_LOG_BYTES).toString('utf8');
}

/** The termination message of an exited container of the pod at `podDir` ('' for none). */
export async function terminationMessage(podDir: string, status: ContainerStatus): Promise<string> {
  const annotations = status.annotations;
  const name = status.labels[RuntimeKey.containerName] ?? status.metadata?.name ?? '';
  const restartCount = Number(annotations[RuntimeKey.restartCount] ?? status.metadata?.attempt ?? 0);
  const fromFile = annotations[RuntimeKey.terminationMessagePath] === '' ? '' : await readHead(terminationMessageFile(podDir, name, restartCount), MAX_TERMINATION_MESSAGE_BYTES);
  if (fromFile !== '') return fromFile;
  const fallback = annotations[RuntimeKey.terminationMessagePolicy] === 'FallbackToLogsOnError' && status.exitCode !== 0;
  return fallback && status.logPath !== '' ? logTail(status.logPath) : '';
}
