/**
 * `k8ts killall`: ends everything the containerd of a data dir runs. Sandboxes and
 * containers are stopped and removed through CRI while containerd answers; then
 * containerd (by its pid file) and any shim of its socket are killed with their
 * container processes, and every mount under its state and root directories (rootfs,
 * /dev/shm, sandbox network namespaces) and under the data dir (the kubelet's tmpfs
 * pod volumes) is unmounted; the NAT rules of sandboxes that got no CNI DEL and the
 * pod bridge are removed.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { POD_NETWORK_NAME, podBridgeOf, podIpamDir } from '../../network/cni/config.js';
import { removeLeftoverNatRules } from '../../network/cni/natRules.js';
import { CriClient } from '../cri/client.js';
import { containerdPaths } from './paths.js';
import { waitForSocket } from './process.js';

const run = promisify(execFile);

/** What killall did, for the CLI to print. */
export interface KillallReport {
  sandboxesRemoved: number;
  processesKilled: number;
  unmounted: number;
  /** NAT rules of sandboxes whose CNI DEL never ran (containerd was already gone). */
  natRulesRemoved: number;
  /** The pod bridge that was removed, if there was one. */
  bridgeRemoved?: string;
}

async function readProc(pid: number, file: string): Promise<string | undefined> {
  try {
    return await readFile(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

async function allPids(): Promise<number[]> {
  return (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Parent pid from /proc/<pid>/stat (the field after the parenthesised command). */
async function parentOf(pid: number): Promise<number | undefined> {
  const stat = await readProc(pid, 'stat');
  if (stat === undefined) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[1]);
}

/** Pids of `roots` and all their descendants. */
async function withDescendants(roots: readonly number[]): Promise<number[]> {
  const children = new Map<number, number[]>();
  for (const pid of await allPids()) {
    const parent = await parentOf(pid);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const found: number[] = [];
  const queue = [...roots];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    if (found.includes(pid)) continue;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** Shims (containerd-shim-*) serving the containerd at `socket`. */
async function shimsOf(socket: string): Promise<number[]> {
  const shims: number[] = [];
  for (const pid of await allPids()) {
    const args = (await readProc(pid, 'cmdline'))?.split('\0') ?? [];
    if (!(args[0] ?? '').includes('containerd-shim')) continue;
    const at = args.indexOf('-address');
    if (at >= 0 && args[at + 1] === socket) shims.push(pid);
  }
  return shims;
}

async function killAndWait(pids: readonly number[], signal: NodeJS.Signals, waitMs: number): Promise<void> {
  for (const pid of pids) {
    try { process.kill(pid, signal); } catch { /* already gone */ }
  }
  const deadline = Date.now() + waitMs;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(50);
}

/** The pid in the pid file, if that process is a containerd using `config`. */
async function containerdFromPidFile(pidFile: string, config: string): Promise<number | undefined> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const args = (await readProc(pid, 'cmdline'))?.split('\0') ?? [];
  return (args[0] ?? '').includes('containerd') && args.includes(config) ? pid : undefined;
}

/** Mount points at or under any of `dirs`, deepest first. */
async function mountsUnder(dirs: readonly string[]): Promise<string[]> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  const points = mountinfo.split('\n').map((line) => line.split(' ')[4]).filter((p): p is string => p !== undefined)
    .map((p) => p.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))));
  const under = points.filter((p) => dirs.some((dir) => p === dir || p.startsWith(`${dir}/`)));
  return [...new Set(under)].sort((a, b) => b.length - a.length);
}

/** Stops and removes every sandbox and container through CRI when containerd answers at `socket`; resolves to the sandbox count. */
export async function removeAllSandboxes(socket: string): Promise<number> {
  try {
    await waitForSocket(socket, 500);
  } catch {
    return 0;
  }
  const cri = new CriClient(socket, { timeoutMs: 60_000 });
  try {
    const sandboxes = await cri.listPodSandbox();
    for (const sandbox of sandboxes) {
      await cri.stopPodSandbox(sandbox.id);
      await cri.removePodSandbox(sandbox.id);
    }
    for (const container of await cri.listContainers()) await cri.removeContainer(container.id);
    return sandboxes.length;
  } finally {
    cri.close();
  }
}

/** Stops everything of the containerd under `dataDir` (absolute) and leaves no process or mount behind. */
export async function killall(dataDir: string): Promise<KillallReport> {
  const paths = containerdPaths(dataDir);
  let sandboxesRemoved = 0;
  try {
    sandboxesRemoved = await removeAllSandboxes(paths.socket);
  } catch {
    // containerd is unhealthy: the process and mount cleanup below still ends everything.
  }

  const containerd = await containerdFromPidFile(paths.pidFile, paths.config);
  let killed = 0;
  if (containerd !== undefined) {
    await killAndWait([containerd], 'SIGTERM', 10_000);
    await killAndWait([containerd], 'SIGKILL', 5_000);
    killed++;
  }
  await rm(paths.pidFile, { force: true });

  const shimTrees = await withDescendants(await shimsOf(paths.socket));
  if (shimTrees.length > 0) {
    // Container processes first, so a shim does not outlive its children's reaping.
    await killAndWait(shimTrees.slice().reverse(), 'SIGKILL', 5_000);
    killed += shimTrees.length;
  }

  const mounts = await mountsUnder([paths.state, paths.root, dataDir]);
  for (const mount of mounts) {
    await run('umount', [mount]).catch(() => run('umount', ['-l', mount]));
  }
  await rm(paths.socket, { force: true });
  if (!paths.socket.startsWith(`${paths.base}/`)) await rm(dirname(paths.socket), { recursive: true, force: true });
  const natRulesRemoved = await removeLeftoverNatRules(podIpamDir(dataDir), POD_NETWORK_NAME).catch(() => 0);
  const bridge = await podBridgeOf(paths.cniConfDir);
  const bridgeRemoved = bridge !== undefined && (await run('ip', ['link', 'delete', bridge]).then(() => true, () => false));
  return { sandboxesRemoved, processesKilled: killed, unmounted: mounts.length, natRulesRemoved, ...(bridgeRemoved ? { bridgeRemoved: bridge } : {}) };
}
