/**
 * The NAT rules CNI plugins leave for sandboxes whose CNI DEL never ran: the bridge
 * plugin's ipMasq rule and chain (`name: "k8ts" id: "<container id>"`) and portmap's
 * hostPort DNAT chain of each sandbox. `k8ts killall` ends containerd without CNI DEL
 * (netns are gone by then), so it removes these rules itself, for the sandboxes whose
 * addresses the data dir's host-local IPAM store still holds.
 */
import { execFile, spawn } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The container ids host-local recorded in `ipamDir/<network>/<ip>` files (first line of each). */
export async function allocatedContainerIds(ipamDir: string, network: string): Promise<Set<string>> {
  const dir = join(ipamDir, network);
  const ids = new Set<string>();
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!/^[0-9a-f.:]+$/.test(name)) continue; // last_reserved_ip.*, lock
    const id = (await readFile(join(dir, name), 'utf8').catch(() => '')).split(/\r?\n/)[0]?.trim();
    if (id) ids.add(id);
  }
  return ids;
}

/**
 * The `iptables-restore --noflush` script that removes, from `natTable` (an
 * `iptables-save -t nat` dump), every rule whose comment names one of `containerIds`
 * in network `network`, then the per-sandbox chains those rules jumped to.
 */
export function natCleanupScript(natTable: string, network: string, containerIds: ReadonlySet<string>): string | undefined {
  const deletions: string[] = [];
  const chains = new Set<string>();
  for (const line of natTable.split('\n')) {
    if (!line.startsWith('-A ')) continue;
    const owner = /id: \\?"([0-9a-f]+)\\?"/.exec(line)?.[1];
    if (owner === undefined || !containerIds.has(owner) || !line.includes(`name: \\"${network}\\"`)) continue;
    deletions.push(`-D ${line.slice(3)}`);
    const target = / -j (CNI-[A-Za-z0-9-]+)/.exec(line)?.[1];
    if (target !== undefined && target !== 'CNI-HOSTPORT-DNAT' && target !== 'CNI-HOSTPORT-SETMARK' && target !== 'CNI-HOSTPORT-MASQ') chains.add(target);
  }
  if (deletions.length === 0) return undefined;
  const flushes = [...chains].map((chain) => `-F ${chain}`);
  const removals = [...chains].map((chain) => `-X ${chain}`);
  return ['*nat', ...deletions, ...flushes, ...removals, 'COMMIT', ''].join('\n');
}

async function restore(script: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn('iptables-restore', ['--noflush'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`iptables-restore: ${stderr.trim() || `exit ${code}`}`))));
    child.stdin.end(script);
  });
}

/**
 * Removes the NAT rules and chains of every sandbox host-local still has an address
 * for in `ipamDir` (network `network`); resolves to how many rules went.
 */
export async function removeLeftoverNatRules(ipamDir: string, network: string): Promise<number> {
  const ids = await allocatedContainerIds(ipamDir, network);
  if (ids.size === 0) return 0;
  const { stdout } = await run('iptables-save', ['-t', 'nat'], { maxBuffer: 64 * 1024 * 1024 });
  const script = natCleanupScript(stdout, network, ids);
  if (script === undefined) return 0;
  await restore(script);
  return script.split('\n').filter((line) => line.startsWith('-D ')).length;
}
