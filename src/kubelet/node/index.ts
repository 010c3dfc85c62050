/**
 * The kubelet's node part: registers the Node, keeps its status current (patched
 * every 10 s when it changed, at least every 5 min) and heartbeats its Lease in
 * kube-node-lease every 10 s — all through the client, on an injected clock.
 *
 *   const agent = new NodeAgent({ nodeName, client, dataDir, kubeletPort: 10250,
 *     runtimeVersion: async () => 'containerd://1.6.20', signals });
 *   agent.start(signal);
 *   await agent.stopped();
 *
 * When the Node is deleted the next status pass registers it again. Taints that follow
 * the conditions are the node lifecycle controller's (TaintNodesByCondition).
 */
import type { NodeStatus } from 'kubernetes-types/core/v1.js';
import { isStatusReason } from '../../api/status.js';
import { realClock, type Clock, type RestClient } from '../../client/index.js';
import { updateConditions } from './conditions.js';
import { DEFAULT_EVICTION_HARD, parseEvictionHard, type EvictionThreshold } from './evictionThresholds.js';
import { readMachineInfo, type MachineInfo } from './machine.js';
import { NodeLease } from './nodeLease.js';
import { initialNode, reportedStatus, type NodeIdentity, type NodeObject, type StatusInputs } from './nodeObject.js';
import { NodeStatusReporter } from './nodeStatusReporter.js';
import { exponentialBackoff, runPeriodically } from './periodic.js';
import { registerNode } from './registration.js';
import type { Resources } from './resources.js';
import { SettableNodeSignals, type NodeSignals } from './signals.js';

export { SettableNodeSignals, RUNTIME_DOWN, networkNotReady, runtimeNotReady } from './signals.js';
export { watchRuntimeReadiness, RUNTIME_CHECK_INTERVAL_MS, type RuntimeStatusSource } from './runtimeReadiness.js';
export type { NodeSignals } from './signals.js';
export { DEFAULT_EVICTION_HARD, parseEvictionHard } from './evictionThresholds.js';
export type { EvictionThreshold } from './evictionThresholds.js';
export { parseResourceListFlag } from './resources.js';
export type { Resources } from './resources.js';
export type { MachineInfo } from './machine.js';
export type { NodeObject } from './nodeObject.js';

/** Upstream's `--node-status-update-frequency` default. */
export const DEFAULT_STATUS_UPDATE_FREQUENCY_MS = 10_000;

/** How a NodeAgent is set up. */
export interface NodeAgentOptions extends NodeIdentity {
  client: RestClient;
  clock?: Clock;
  /** The machine's facts; read from the system (with `dataDir`'s filesystem) when absent. */
  machine?: MachineInfo;
  /** The kubelet's data dir: its filesystem is the node's ephemeral storage. */
  dataDir?: string;
  kubeReserved?: Resources;
  systemReserved?: Resources;
  /** Hard eviction thresholds (default: upstream's `--eviction-hard` defaults). */
  evictionHard?: readonly EvictionThreshold[];
  maxPods?: number;
  /** The runtime's `name://version`; a failure keeps the last known one. */
  runtimeVersion: () => Promise<string>;
  /** Readiness and pressure inputs (default: always ready, no pressure). */
  signals?: NodeSignals;
  kubeletVersion?: string;
  kubeProxyVersion?: string;
  statusUpdateFrequencyMs?: number;
  statusReportFrequencyMs?: number;
  leaseDurationSeconds?: number;
  /** Told about failed API calls (they are retried). */
  onError?: (err: unknown) => void;
}

const REGISTRATION_BACKOFF = exponentialBackoff(100, 7_000);
const LEASE_BACKOFF = exponentialBackoff(200, 7_000);

/** The node part of one kubelet. */
export class NodeAgent {
  readonly #options: NodeAgentOptions;
  readonly #clock: Clock;
  readonly #signals: NodeSignals;
  readonly #evictionHard: readonly EvictionThreshold[];
  readonly #lease: NodeLease;
  readonly #reporter: NodeStatusReporter;
  #registered: NodeObject | undefined;
  #machine: MachineInfo | undefined;
  #runtimeVersion = '';
  #running: Promise<void> = Promise.resolve();

  constructor(options: NodeAgentOptions) {
    this.#options = options;
    this.#clock = options.clock ?? realClock;
    this.#signals = options.signals ?? new SettableNodeSignals();
    this.#evictionHard = options.evictionHard ?? parseEvictionHard(DEFAULT_EVICTION_HARD);
    this.#lease = new NodeLease({
      client: options.client,
      clock: this.#clock,
      nodeName: options.nodeName,
      ...(options.leaseDurationSeconds !== undefined ? { leaseDurationSeconds: options.leaseDurationSeconds } : {}),
      nodeUID: () => this.#registered?.metadata.uid,
    });
    this.#reporter = new NodeStatusReporter({
      client: options.client,
      clock: this.#clock,
      nodeName: options.nodeName,
      desiredStatus: (stored) => this.#desiredStatus(this.#requireMachine(), stored),
      ...(options.statusReportFrequencyMs !== undefined ? { reportFrequencyMs: options.statusReportFrequencyMs } : {}),
    });
  }

  /** The Node as last registered (undefined before registration and after it was found deleted). */
  registeredNode(): NodeObject | undefined {
    return this.#registered;
  }

  /** Starts registration, status reporting and the lease heartbeat; they run until `signal` aborts. */
  start(signal: AbortSignal): void {
    this.#running = this.#run(signal);
  }

  /** Resolves once every loop has stopped after the start signal aborted. */
  stopped(): Promise<void> {
    return this.#running;
  }

  async #run(signal: AbortSignal): Promise<void> {
    const machine = this.#options.machine ?? (await readMachineInfo(this.#options.dataDir ?? '/'));
    this.#machine = machine;
    const onError = (err: unknown): void => this.#options.onError?.(err);
    const updateEvery = this.#options.statusUpdateFrequencyMs ?? DEFAULT_STATUS_UPDATE_FREQUENCY_MS;
    await Promise.all([
      runPeriodically(this.#clock, signal, {
        run: (s) => this.#statusPass(machine, updateEvery, s),
        delayAfterFailure: (failures) => (this.#registered === undefined ? REGISTRATION_BACKOFF(failures) : updateEvery),
        onError,
      }),
      runPeriodically(this.#clock, signal, {
        run: async (s) => {
          await this.#lease.renew(s);
          return this.#lease.renewIntervalMs;
        },
        delayAfterFailure: LEASE_BACKOFF,
        onError,
      }),
    ]);
  }

  /** Registers when needed, then reports status; resolves to the delay before the next pass. */
  async #statusPass(machine: MachineInfo, updateEvery: number, signal: AbortSignal): Promise<number> {
    if (this.#registered === undefined) {
      const node = initialNode(this.#options, machine, await this.#desiredStatus(machine, undefined));
      this.#registered = await registerNode(this.#options.client, node, signal);
      this.#reporter.reset();
    }
    try {
      await this.#reporter.sync(signal);
    } catch (err) {
      if (!isStatusReason(err, 'NotFound')) throw err;
      this.#registered = undefined;
      return 0;
    }
    return updateEvery;
  }

  async #inputs(machine: MachineInfo): Promise<StatusInputs> {
    try {
      this.#runtimeVersion = await this.#options.runtimeVersion();
    } catch (err) {
      this.#options.onError?.(err);
    }
    const { kubeReserved, systemReserved, maxPods, kubeletVersion, kubeProxyVersion } = this.#options;
    return {
      identity: this.#options,
      machine,
      reservations: { kubeReserved, systemReserved, evictionHard: this.#evictionHard },
      containerRuntimeVersion: this.#runtimeVersion,
      ...(maxPods !== undefined ? { maxPods } : {}),
      ...(kubeletVersion !== undefined ? { kubeletVersion } : {}),
      ...(kubeProxyVersion !== undefined ? { kubeProxyVersion } : {}),
    };
  }

  #requireMachine(): MachineInfo {
    if (this.#machine === undefined) throw new Error('machine facts are read before the first status pass');
    return this.#machine;
  }

  async #desiredStatus(machine: MachineInfo, stored: NodeStatus | undefined): Promise<NodeStatus> {
    const status = reportedStatus(await this.#inputs(machine));
    return { ...status, conditions: updateConditions(stored?.conditions, this.#signals, status.capacity ?? {}, this.#clock.now()) };
  }
}
