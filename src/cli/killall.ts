/**
 * `k8ts killall`: stops every sandbox and container of a data dir's containerd, then
 * containerd and its shims, unmounts what they left under the data dir and removes
 * the kubelet's pod cgroups.
 */
import { join, resolve } from 'node:path';
import { defaultCgroupRoot, removeCgroupRoot } from '../kubelet/cm/podCgroups.js';
import { killall } from '../runtime/containerd/killall.js';
import type { FlagSpec } from './flags.js';
import { parseFlags, usage } from './flags.js';
import { defaultDataDir } from './server.js';

/** Flags of `k8ts killall`. */
export const KILLALL_FLAGS = {
  'data-dir': { type: 'string', help: 'The data directory whose containerd to stop', default: defaultDataDir() },
} as const satisfies Record<string, FlagSpec>;

/** Runs `k8ts killall`; resolves to the exit code. */
export async function runKillall(argv: readonly string[]): Promise<number> {
  const flags = parseFlags('killall', KILLALL_FLAGS, argv);
  if (flags === 'help') {
    process.stdout.write(usage('k8ts killall [flags]', 'Stop all pods, containers and the containerd of a data dir, and unmount their leftovers.', KILLALL_FLAGS));
    return 0;
  }
  const dataDir = resolve(flags['data-dir']);
  const report = await killall(dataDir);
  // The node runs its kubelet with `<data-dir>/kubelet` (src/cli/node.ts), which names its cgroup root.
  const cgroupsGone = await removeCgroupRoot(defaultCgroupRoot(join(dataDir, 'kubelet')));
  if (!cgroupsGone) process.stderr.write('killall: some pod cgroups could not be removed\n');
  const bridge = report.bridgeRemoved !== undefined ? `, removed bridge ${report.bridgeRemoved}` : '';
  process.stdout.write(`removed ${report.sandboxesRemoved} sandboxes, killed ${report.processesKilled} processes, unmounted ${report.unmounted} mounts, removed ${report.natRulesRemoved} NAT rules${bridge}\n`);
  return 0;
}
