/**
 * The eviction manager wired to a real node: signals read from the kernel under the
 * kubelet's data dir (nodefs) and containerd's root (imagefs), pod usage from the
 * runtime's CRI stats, evictions through the Kubelet, pressure into the node's
 * condition inputs and `Evicted` events through the API.
 *
 *   const done = startEvictionManager({ client, cri, kubelet, signals, nodeName,
 *     thresholds, nodefsDir, imagefsDir }, abortSignal);
 */
import type { Clock, RestClient } from '../../client/index.js';
import { realClock } from '../../client/index.js';
import { PodEventRecorder } from '../events.js';
import { readMachineInfo } from '../node/machine.js';
import type { EvictionThreshold } from '../node/evictionThresholds.js';
import { EvictionManager, type PodKiller, type PressureSink } from './manager.js';
import { observeNode } from './observations.js';
import { readPodUsage, type StatsSource } from './podUsage.js';

export { EvictionManager, DEFAULT_MONITORING_INTERVAL_MS, DEFAULT_PRESSURE_TRANSITION_PERIOD_MS } from './manager.js';

/** What a node's eviction manager is built from. */
export interface NodeEvictionOptions {
  client: RestClient;
  cri: StatsSource;
  kubelet: PodKiller;
  signals: PressureSink;
  nodeName: string;
  thresholds: readonly EvictionThreshold[];
  nodefsDir: string;
  imagefsDir: string;
  clock?: Clock;
  pressureTransitionPeriodMs?: number;
  onError(err: unknown): void;
}

/** Runs a node's eviction manager until `signal` aborts; resolves once it stopped. */
export async function startEvictionManager(options: NodeEvictionOptions, signal: AbortSignal): Promise<void> {
  const clock = options.clock ?? realClock;
  const machine = await readMachineInfo(options.nodefsDir);
  const events = new PodEventRecorder(options.client, clock, options.nodeName, options.onError);
  const manager = new EvictionManager({
    thresholds: options.thresholds,
    clock,
    observe: () => observeNode({ nodefsDir: options.nodefsDir, imagefsDir: options.imagefsDir }, machine),
    podUsage: () => readPodUsage(options.cri),
    pods: options.kubelet,
    pressure: options.signals,
    recordEvent: (pod, reason, message) => events.record(pod, 'Warning', reason, message),
    ...(options.pressureTransitionPeriodMs !== undefined ? { pressureTransitionPeriodMs: options.pressureTransitionPeriodMs } : {}),
    onError: options.onError,
  });
  await manager.run(signal);
}
