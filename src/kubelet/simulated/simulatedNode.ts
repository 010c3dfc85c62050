/**
 * A simulated node: a Node the real kubelet's node agent registers and keeps Ready
 * (status every 10 s, Lease in kube-node-lease renewed every quarter of its
 * duration), with no containers behind it. Pods bound to it are reported Running and
 * Ready with a pod IP out of its pod CIDR; a pod marked for deletion is deleted at
 * once (grace 0), as a kubelet does once its containers stopped.
 *
 *   const node = new SimulatedNode({ client, nodeName: 'sim-1', labels: { zone: 'a' } });
 *   await node.start();
 *   await node.stop();    // a node failure: no more heartbeats or pod updates
 *   await node.remove();  // stops and deletes the Node
 *
 * For tests and benchmarks of the control plane with more nodes than machines.
 */
import type { Taint } from 'kubernetes-types/core/v1.js';
import { isStatusReason } from '../../api/status.js';
import { InformerFactory, realClock, type Clock, type RestClient, type SharedInformer } from '../../client/index.js';
import { WorkQueue, deletedObject, objectKey, splitKey } from '../../client/index.js';
import type { PodObject } from '../apiObjects.js';
import { formatTime } from '../node/conditions.js';
import { NodeAgent } from '../node/index.js';
import { NODES } from '../node/registration.js';
import { parseResourceListFlag } from '../node/resources.js';
import { PodIPAllocator } from './podIPAllocator.js';
import { reportsRunning, runningPodStatus } from './runningPodStatus.js';
import { simulatedMachine, type SimulatedCapacity } from './simulatedMachine.js';

/** How a simulated node is set up. */
export interface SimulatedNodeOptions {
  client: RestClient;
  nodeName: string;
  /** Labels besides the kubelet's defaults. */
  labels?: Readonly<Record<string, string>>;
  /** Taints the Node registers with. */
  taints?: readonly Taint[];
  capacity?: SimulatedCapacity;
  /** Held back from allocatable, e.g. `cpu=500m,memory=1Gi` (default: nothing, allocatable = capacity). */
  reserved?: string;
  /** The node's InternalIP and pods' hostIP (default 127.0.0.1). */
  internalIP?: string;
  /** A /24 the pod IPs come from (default 198.18.250.0/24). */
  podCIDR?: string;
  /** Lease duration (renewed every quarter of it); default 40 s. */
  leaseDurationSeconds?: number;
  /** How often the node status is computed (default 10 s). */
  statusUpdateFrequencyMs?: number;
  clock?: Clock;
  /** Told about failed API calls (they are retried). */
  onError?: (err: unknown) => void;
}

/** The default pod CIDR of simulated nodes: outside the range real test nodes use. */
export const DEFAULT_SIMULATED_POD_CIDR = '198.18.250.0/24';

const PODS = { group: '', version: 'v1', resource: 'pods' } as const;

const REGISTRATION_TIMEOUT_MS = 30_000;

/** One simulated node; `start` once, then `stop` and/or `remove`. */
export class SimulatedNode {
  readonly #options: SimulatedNodeOptions;
  readonly #clock: Clock;
  readonly #abort = new AbortController();
  readonly #agent: NodeAgent;
  readonly #informers: InformerFactory;
  readonly #pods: SharedInformer<PodObject>;
  readonly #queue: WorkQueue<string>;
  readonly #ips: PodIPAllocator;
  #running: Promise<unknown> = Promise.resolve();

  constructor(options: SimulatedNodeOptions) {
    this.#options = options;
    this.#clock = options.clock ?? realClock;
    const onError = (err: unknown): void => {
      if (!this.#abort.signal.aborted) options.onError?.(err);
    };
    this.#agent = new NodeAgent({
      client: options.client,
      clock: this.#clock,
      nodeName: options.nodeName,
      kubeletPort: 10250,
      internalIP: options.internalIP ?? '127.0.0.1',
      podCIDRs: [options.podCIDR ?? DEFAULT_SIMULATED_POD_CIDR],
      ...(options.labels !== undefined ? { nodeLabels: options.labels } : {}),
      ...(options.taints !== undefined ? { registerWithTaints: options.taints } : {}),
      machine: simulatedMachine(options.nodeName, options.capacity),
      ...(options.capacity?.pods !== undefined ? { maxPods: options.capacity.pods } : {}),
      ...(options.reserved !== undefined ? { kubeReserved: parseResourceListFlag(options.reserved) } : {}),
      evictionHard: [],
      runtimeVersion: async () => 'simulated://1.0.0',
      ...(options.leaseDurationSeconds !== undefined ? { leaseDurationSeconds: options.leaseDurationSeconds } : {}),
      ...(options.statusUpdateFrequencyMs !== undefined ? { statusUpdateFrequencyMs: options.statusUpdateFrequencyMs } : {}),
      onError,
    });
    this.#informers = new InformerFactory(options.client, { clock: this.#clock, onError });
    this.#pods = this.#informers.informerFor<PodObject>(PODS, { fieldSelector: `spec.nodeName=${options.nodeName}` });
    this.#queue = new WorkQueue<string>({ clock: this.#clock });
    this.#ips = new PodIPAllocator(options.podCIDR ?? DEFAULT_SIMULATED_POD_CIDR);
    const enqueue = (pod: PodObject): void => this.#queue.add(objectKey(pod));
    this.#pods.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_old, pod) => enqueue(pod),
      onDelete: (pod) => {
        const uid = deletedObject(pod).metadata.uid;
        if (uid !== undefined) this.#ips.release(uid);
      },
    });
  }

  /** The node's name. */
  get name(): string {
    return this.#options.nodeName;
  }

  /**
   * Registers the Node and starts heartbeats and pod handling; resolves once the Node
   * exists, rejects (with the node stopped) when it was not registered within 30 s.
   */
  async start(): Promise<void> {
    const signal = this.#abort.signal;
    this.#agent.start(signal);
    this.#informers.start(signal);
    this.#running = Promise.all([this.#agent.stopped(), this.#informers.stopped(), this.#work(signal)]);
    const deadline = Date.now() + REGISTRATION_TIMEOUT_MS;
    while (this.#agent.registeredNode() === undefined && !signal.aborted) {
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`simulated node ${this.name} was not registered within ${REGISTRATION_TIMEOUT_MS} ms`);
      }
      await new Promise((ok) => setTimeout(ok, 20));
    }
  }

  /** Stops heartbeats, status reports and pod handling (the Node stays, as after a failure). */
  async stop(): Promise<void> {
    this.#abort.abort();
    this.#queue.shutdown();
    await this.#running;
  }

  /** Stops the node and deletes its Node object. */
  async remove(): Promise<void> {
    await this.stop();
    try {
      await this.#options.client.delete(NODES, this.#options.nodeName);
    } catch (err) {
      if (!isStatusReason(err, 'NotFound')) throw err;
    }
  }

  async #work(signal: AbortSignal): Promise<void> {
    if (!(await this.#pods.waitForSync(signal))) return;
    for (let key = await this.#queue.get(); key !== undefined; key = await this.#queue.get()) {
      try {
        if (!signal.aborted) await this.#syncPod(key, signal);
        this.#queue.forget(key);
      } catch (err) {
        if (!signal.aborted) {
          this.#options.onError?.(err);
          this.#queue.addRateLimited(key);
        }
      } finally {
        this.#queue.done(key);
      }
    }
  }

  async #syncPod(key: string, signal: AbortSignal): Promise<void> {
    const pod = this.#pods.indexer.get(key);
    if (pod === undefined) return;
    const { namespace, name } = splitKey(key);
    const target = { ...PODS, namespace };
    const uid = pod.metadata.uid ?? '';
    if (pod.metadata.deletionTimestamp !== undefined) {
      await this.#deleteNow(target, name, uid, signal);
      return;
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed' || reportsRunning(pod)) return;
    const podIP = pod.status?.podIP ?? this.#ips.allocate(uid);
    const startedAt = pod.status?.startTime ?? formatTime(this.#clock.now());
    const status = runningPodStatus(pod, { podIP, hostIP: this.#options.internalIP ?? '127.0.0.1', startedAt });
    try {
      await this.#options.client.patch(target, name, 'merge', { metadata: { uid }, status }, { subresource: 'status', signal, fieldManager: 'kubelet' });
    } catch (err) {
      if (!isStatusReason(err, 'NotFound') && !isStatusReason(err, 'Conflict')) throw err;
    }
  }

  async #deleteNow(target: typeof PODS & { namespace: string }, name: string, uid: string, signal: AbortSignal): Promise<void> {
    try {
      await this.#options.client.delete(target, name, { gracePeriodSeconds: 0, preconditions: { uid }, signal });
    } catch (err) {
      if (!isStatusReason(err, 'NotFound') && !isStatusReason(err, 'Conflict')) throw err;
    }
  }
}
