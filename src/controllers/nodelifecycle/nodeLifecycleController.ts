/**
 * The node lifecycle controller (upstream's pkg/controller/nodelifecycle):
 *
 * - every 5 s it checks each node's health: a node whose Lease and Ready heartbeat
 *   have not moved for the grace period (40 s; 60 s for a node that never posted
 *   status) gets its kubelet conditions set to Unknown, and its pods Ready=False;
 * - nodes whose Ready condition is False or Unknown get the not-ready or unreachable
 *   NoExecute taint (rate-limited per zone, stopped when a whole cluster is down),
 *   removed again once the node is Ready;
 * - on every node change, the NoSchedule taints follow the node's conditions and
 *   spec.unschedulable (TaintNodesByCondition).
 *
 * Pods are evicted from NoExecute-tainted nodes by the taint eviction controller.
 */
import { isDeepStrictEqual } from 'node:util';
import type { NodeCondition, Taint } from 'kubernetes-types/core/v1.js';
import { isStatusReason } from '../../api/status.js';
import { EventRecorder, deletedObject, objectKey, sleep } from '../../client/index.js';
import type { LeaseObject, SharedInformer } from '../../client/index.js';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controller.js';
import { WorkLoop } from '../workLoop.js';
import { gracePeriodOf, observeHealth, readyConditionOf, unknownConditions, type GracePeriods, type NodeHealth } from './nodeHealth.js';
import { podsByNodeInformer, podsOnNode, type PodObject } from './podsByNode.js';
import { markPodsNotReady } from './podsNotReady.js';
import {
  NODES,
  NOT_READY_NO_EXECUTE,
  UNREACHABLE_NO_EXECUTE,
  hasTaint,
  managedNoScheduleTaints,
  sameTaint,
  swapNodeTaints,
  wantedNoScheduleTaints,
  type NodeObject,
} from './taints.js';
import { ZoneTaintQueue, zoneKeyOf, zoneStateOf, zoneTaintRate, type ZoneState } from './zones.js';

/** Upstream's defaults. */
export const NODE_LIFECYCLE_DEFAULTS = {
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGracePeriodMs: 40_000,
  nodeStartupGracePeriodMs: 60_000,
  /** How often the NoExecute taint queues are worked (upstream NodeEvictionPeriod). */
  taintPassPeriodMs: 100,
} as const;

/** Nodes with this label are left out of the zone disruption counts. */
const EXCLUDE_DISRUPTION_LABEL = 'node.kubernetes.io/exclude-disruption';

const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-node-lease' } as const;

/** How many times a node's status update is retried on a fresh read within one pass. */
const STATUS_UPDATE_ATTEMPTS = 5;

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const UNKNOWN_READY = (node: NodeObject): NodeCondition => ({
  type: 'Ready',
  status: 'Unknown',
  lastHeartbeatTime: node.metadata.creationTimestamp,
  lastTransitionTime: node.metadata.creationTimestamp,
});

/** The Ready condition before and after one health check of a node. */
interface HealthCheck {
  observed: NodeCondition;
  current: NodeCondition | undefined;
}

/** See the module comment. */
export class NodeLifecycleController implements Controller {
  readonly #context: ControllerContext;
  readonly #grace: GracePeriods;
  readonly #monitorPeriodMs: number;
  readonly #nodes: SharedInformer<NodeObject>;
  readonly #leases: SharedInformer<LeaseObject>;
  readonly #pods: SharedInformer<PodObject>;
  readonly #events: EventRecorder;
  readonly #noScheduleLoop: WorkLoop;
  readonly #podLoop: WorkLoop;
  readonly #health = new Map<string, NodeHealth>();
  readonly #known = new Map<string, NodeObject>();
  readonly #nodesToRetry = new Set<string>();
  readonly #zoneStates = new Map<string, ZoneState>();
  readonly #zoneQueues = new Map<string, ZoneTaintQueue>();

  constructor(context: ControllerContext, options: { monitorPeriodMs?: number } = {}) {
    this.#context = context;
    this.#grace = {
      monitorMs: context.settings?.nodeMonitorGracePeriodMs ?? NODE_LIFECYCLE_DEFAULTS.nodeMonitorGracePeriodMs,
      startupMs: NODE_LIFECYCLE_DEFAULTS.nodeStartupGracePeriodMs,
    };
    this.#monitorPeriodMs = options.monitorPeriodMs ?? NODE_LIFECYCLE_DEFAULTS.nodeMonitorPeriodMs;
    this.#nodes = context.informers.informerFor<NodeObject>(NODES);
    this.#leases = context.informers.informerFor<LeaseObject>(LEASES);
    this.#pods = podsByNodeInformer(context.informers);
    this.#events = new EventRecorder(context.client, context.clock, { component: 'node-controller' }, (err) =>
      context.log(`recording an event failed: ${err instanceof Error ? err.message : String(err)}`));
    const informers = [this.#nodes, this.#leases, this.#pods];
    this.#noScheduleLoop = new WorkLoop({ clock: context.clock, informers, log: context.log, sync: (name, signal) => this.#syncNoScheduleTaints(name, signal) });
    this.#podLoop = new WorkLoop({ clock: context.clock, informers, log: context.log, sync: (key, signal) => this.#syncPod(key, signal) });
    this.#nodes.addEventHandler({
      onAdd: (node) => this.#noScheduleLoop.enqueue(objectKey(node)),
      onUpdate: (_old, node) => this.#noScheduleLoop.enqueue(objectKey(node)),
      onDelete: (node) => this.#nodesToRetry.delete(deletedObject(node).metadata.name ?? ''),
    });
    this.#pods.addEventHandler({
      onAdd: (pod) => {
        if (pod.spec?.nodeName) this.#podLoop.enqueue(objectKey(pod));
      },
      onUpdate: (old, pod) => {
        if (pod.spec?.nodeName && pod.spec.nodeName !== old.spec?.nodeName) this.#podLoop.enqueue(objectKey(pod));
      },
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    for (const informer of [this.#nodes, this.#leases, this.#pods]) if (!(await informer.waitForSync(signal))) return;
    await Promise.all([
      this.#noScheduleLoop.run(signal),
      this.#podLoop.run(signal),
      this.#every(this.#monitorPeriodMs, signal, () => this.#monitorNodeHealth(signal)),
      this.#every(NODE_LIFECYCLE_DEFAULTS.taintPassPeriodMs, signal, () => this.#noExecuteTaintingPass(signal)),
    ]);
    await this.#events.flushed();
  }

  async #every(periodMs: number, signal: AbortSignal, pass: () => Promise<void>): Promise<void> {
    while (!signal.aborted) {
      try {
        await pass();
      } catch (err) {
        if (!signal.aborted) this.#context.log(`${err instanceof Error ? err.message : String(err)}`);
      }
      await sleep(this.#context.clock, periodMs, signal);
    }
  }

  #now(): number {
    return this.#context.clock.now();
  }

  #zoneQueue(zone: string): ZoneTaintQueue {
    let queue = this.#zoneQueues.get(zone);
    if (queue === undefined) {
      queue = new ZoneTaintQueue(this.#context.clock);
      this.#zoneQueues.set(zone, queue);
    }
    return queue;
  }

  #nodeEvent(node: NodeObject, reason: string, message: string): void {
    this.#events.record({ apiVersion: 'v1', kind: 'Node', metadata: { name: node.metadata.name, uid: node.metadata.uid } }, 'Normal', reason, message);
  }

  async #monitorNodeHealth(signal: AbortSignal): Promise<void> {
    const nodes = this.#nodes.indexer.list();
    const names = new Set(nodes.map((n) => n.metadata.name ?? ''));
    for (const node of nodes) {
      const name = node.metadata.name ?? '';
      if (this.#known.has(name)) continue;
      this.#nodeEvent(node, 'RegisteredNode', `Registered Node ${name} in Controller`);
      this.#known.set(name, node);
      this.#zoneQueue(zoneKeyOf(node));
      await this.#markNodeAsReachable(node, signal);
    }
    for (const [name, node] of this.#known) {
      if (names.has(name)) continue;
      this.#nodeEvent(node, 'RemovingNode', `Removing Node ${name} from Controller`);
      this.#known.delete(name);
      this.#health.delete(name);
    }
    const zoneConditions = new Map<string, (NodeCondition | undefined)[]>();
    for (const node of nodes) {
      if (signal.aborted) return;
      const check = await this.#checkNode(node, signal);
      if (check === undefined) continue;
      if (node.metadata.labels?.[EXCLUDE_DISRUPTION_LABEL] === undefined) {
        const zone = zoneKeyOf(node);
        zoneConditions.set(zone, [...(zoneConditions.get(zone) ?? []), check.current]);
      }
      await this.#reactToReadiness(node, check, signal);
    }
    await this.#handleDisruption(zoneConditions, nodes, signal);
  }

  /** One node's health check; undefined when its status could not be updated (logged; retried next pass). */
  async #checkNode(node: NodeObject, signal: AbortSignal): Promise<HealthCheck | undefined> {
    let latest = node;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#tryUpdateNodeHealth(latest, signal);
      } catch (err) {
        if (signal.aborted || attempt >= STATUS_UPDATE_ATTEMPTS || !isStatusReason(err, 'Conflict')) {
          if (!signal.aborted && !isStatusReason(err, 'NotFound')) this.#context.log(`updating the health of node ${node.metadata.name}: ${err instanceof Error ? err.message : String(err)}`);
          return undefined;
        }
      }
      try {
        latest = await this.#context.client.get<NodeObject>(NODES, node.metadata.name ?? '', { signal });
      } catch {
        return undefined;
      }
    }
  }

  async #tryUpdateNodeHealth(node: NodeObject, signal: AbortSignal): Promise<HealthCheck> {
    const name = node.metadata.name ?? '';
    const now = this.#now();
    const lease = this.#leases.indexer.get(`kube-node-lease/${name}`);
    let health = observeHealth(this.#health.get(name), node, lease, now);
    this.#health.set(name, health);
    const current = readyConditionOf(node);
    const observed = current ?? UNKNOWN_READY(node);
    if (now <= health.probeTimestamp + gracePeriodOf(node, this.#grace)) return { observed, current };
    const conditions = unknownConditions(node.status?.conditions, rfc3339(now), node.metadata.creationTimestamp ?? rfc3339(now));
    const updatedReady = conditions.find((c) => c.type === 'Ready');
    if (isDeepStrictEqual(updatedReady, current)) return { observed, current };
    await this.#context.client.update<NodeObject>(NODES, { ...node, status: { ...node.status, conditions } }, { subresource: 'status', signal });
    health = { ...health, readyCondition: updatedReady, readyTransitionTimestamp: now };
    this.#health.set(name, health);
    return { observed, current: updatedReady };
  }

  async #reactToReadiness(node: NodeObject, check: HealthCheck, signal: AbortSignal): Promise<void> {
    const name = node.metadata.name ?? '';
    if (check.current === undefined) {
      this.#nodesToRetry.delete(name);
      return;
    }
    await this.#processTaintBasedEviction(node, check.observed, signal);
    const becameNotReady = check.current.status !== 'True' && check.observed.status === 'True';
    if (becameNotReady) this.#nodeEvent(node, 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    if (becameNotReady || (this.#nodesToRetry.has(name) && check.observed.status !== 'True')) {
      try {
        await markPodsNotReady(this.#context.client, this.#events, podsOnNode(this.#pods, name), name, rfc3339(this.#now()), signal);
      } catch (err) {
        this.#context.log(`marking the pods of node ${name} not ready: ${err instanceof Error ? err.message : String(err)}`);
        this.#nodesToRetry.add(name);
        return;
      }
    }
    this.#nodesToRetry.delete(name);
  }

  async #processTaintBasedEviction(node: NodeObject, observed: NodeCondition, signal: AbortSignal): Promise<void> {
    const name = node.metadata.name ?? '';
    const taints = node.spec?.taints;
    if (observed.status === 'False') {
      if (hasTaint(taints, UNREACHABLE_NO_EXECUTE)) await this.#swap(node, [NOT_READY_NO_EXECUTE], [UNREACHABLE_NO_EXECUTE], signal);
      else this.#zoneQueue(zoneKeyOf(node)).add(name);
    } else if (observed.status === 'Unknown') {
      if (hasTaint(taints, NOT_READY_NO_EXECUTE)) await this.#swap(node, [UNREACHABLE_NO_EXECUTE], [NOT_READY_NO_EXECUTE], signal);
      else this.#zoneQueue(zoneKeyOf(node)).add(name);
    } else {
      await this.#markNodeAsReachable(node, signal);
    }
  }

  /** Removes the NoExecute taints of `node` and takes it off the taint queue. */
  async #markNodeAsReachable(node: NodeObject, signal: AbortSignal): Promise<void> {
    this.#zoneQueue(zoneKeyOf(node)).remove(node.metadata.name ?? '');
    await this.#swap(node, [], [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE], signal);
  }

  /** Swaps taints, logging a failure (the next pass tries again); false when it failed or the node is gone. */
  async #swap(node: NodeObject, add: readonly Taint[], remove: readonly Taint[], signal: AbortSignal): Promise<boolean> {
    try {
      return await swapNodeTaints(this.#context.client, node, add, remove, rfc3339(this.#now()), signal);
    } catch (err) {
      if (!signal.aborted) this.#context.log(`updating the taints of node ${node.metadata.name}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  async #noExecuteTaintingPass(signal: AbortSignal): Promise<void> {
    for (const queue of this.#zoneQueues.values()) {
      await queue.drain(async (name) => {
        const node = this.#nodes.indexer.get(name);
        if (node === undefined) return true;
        const ready = readyConditionOf(node);
        if (ready === undefined) return false;
        if (ready.status === 'False') return this.#swap(node, [NOT_READY_NO_EXECUTE], [UNREACHABLE_NO_EXECUTE], signal);
        if (ready.status === 'Unknown') return this.#swap(node, [UNREACHABLE_NO_EXECUTE], [NOT_READY_NO_EXECUTE], signal);
        return true;
      });
    }
  }

  async #handleDisruption(zoneConditions: Map<string, (NodeCondition | undefined)[]>, nodes: readonly NodeObject[], signal: AbortSignal): Promise<void> {
    const newStates = new Map([...zoneConditions].map(([zone, conditions]) => [zone, zoneStateOf(conditions)] as const));
    const allAreFullyDisrupted = [...newStates.values()].every((s) => s === 'FullDisruption');
    for (const zone of newStates.keys()) if (!this.#zoneStates.has(zone)) this.#zoneStates.set(zone, 'Initial');
    for (const zone of [...this.#zoneStates.keys()]) if (!newStates.has(zone)) this.#zoneStates.delete(zone);
    const allWereFullyDisrupted = [...this.#zoneStates.values()].every((s) => s === 'FullDisruption');
    if (allAreFullyDisrupted && allWereFullyDisrupted) return;
    const sizeOf = (zone: string): number => zoneConditions.get(zone)?.length ?? 0;
    if (allAreFullyDisrupted) {
      this.#context.log('Controller detected that all Nodes are not-Ready. Entering master disruption mode');
      for (const node of nodes) await this.#markNodeAsReachable(node, signal);
      for (const zone of this.#zoneStates.keys()) {
        this.#zoneQueue(zone).setRate(0);
        this.#zoneStates.set(zone, 'FullDisruption');
      }
      return;
    }
    if (allWereFullyDisrupted) {
      this.#context.log('Controller detected that some Nodes are Ready. Exiting master disruption mode');
      const now = this.#now();
      for (const [name, health] of this.#health) this.#health.set(name, { ...health, probeTimestamp: now, readyTransitionTimestamp: now });
    }
    for (const [zone, state] of newStates) {
      if (!allWereFullyDisrupted && this.#zoneStates.get(zone) === state) continue;
      this.#zoneQueue(zone).setRate(zoneTaintRate(state, sizeOf(zone)));
      this.#zoneStates.set(zone, state);
    }
  }

  /** TaintNodesByCondition for one node: its managed NoSchedule taints follow its conditions. */
  async #syncNoScheduleTaints(name: string, signal: AbortSignal): Promise<void> {
    const node = this.#nodes.indexer.get(name);
    if (node === undefined) return;
    const wanted = wantedNoScheduleTaints(node);
    const present = managedNoScheduleTaints(node);
    const add = wanted.filter((w) => !present.some((p) => sameTaint(p, w)));
    const remove = present.filter((p) => !wanted.some((w) => sameTaint(p, w)));
    if (add.length === 0 && remove.length === 0) return;
    await swapNodeTaints(this.#context.client, node, add, remove, rfc3339(this.#now()), signal);
  }

  /** A pod newly bound to a node that is not Ready is marked not Ready itself. */
  async #syncPod(key: string, signal: AbortSignal): Promise<void> {
    const pod = this.#pods.indexer.get(key);
    const nodeName = pod?.spec?.nodeName;
    if (pod === undefined || nodeName === undefined || !this.#health.has(nodeName)) return;
    const node = this.#nodes.indexer.get(nodeName);
    if (node === undefined) throw new Error(`node ${nodeName} of pod ${key} is not in the cache`);
    const ready = readyConditionOf(node);
    if (ready === undefined || ready.status === 'True') return;
    await markPodsNotReady(this.#context.client, this.#events, [pod], nodeName, rfc3339(this.#now()), signal);
  }
}

/** The node lifecycle controller, as `k8ts server` runs it. */
export const nodeLifecycleControllerDescriptor: ControllerDescriptor = {
  name: 'node-lifecycle',
  create: (context) => new NodeLifecycleController(context),
};
