/**
 * `k8ts killall`: stops every sandbox and container of a data dir's containerd, then
 * containerd and its shims, and unmounts what they left under the data dir.
 */
import { resolve } from 'node:path';
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
  const report = await killall(resolve(flags['data-dir']));
  const bridge = report.bridgeRemoved !== undefined ? `, removed bridge ${report.bridgeRemoved}` : '';
  process.stdout.write(`removed ${report.sandboxesRemoved} sandboxes, killed ${report.processesKilled} processes, unmounted ${report.unmounted} mounts${bridge}\n`);
  return 0;
}
