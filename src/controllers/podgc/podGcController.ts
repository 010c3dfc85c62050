/**
 * The pod garbage collector (upstream's pkg/controller/podgc). Every 20 s it
 * force-deletes (grace 0):
 *
 * - the oldest terminated pods (Succeeded or Failed; evicted ones first) above
 *   `--terminated-pod-gc-threshold` (12500; none when 0 or less);
 * - terminating pods on nodes that are not Ready and carry the
 *   node.kubernetes.io/out-of-service taint;
 * - orphaned pods, bound to a node that has not existed for a 40 s quarantine
 *   (confirmed by reading the Node), after adding the DisruptionTarget condition
 *   (reason DeletionByPodGC);
 * - terminating pods never scheduled to a node.
 *
 * A pod not yet terminal is first patched to phase Failed, since no kubelet will.
 */
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { isStatusReason } from '../../api/status.js';
import { sleep } from '../../client/index.js';
import type { SharedInformer } from '../../client/index.js';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controller.js';
import { PODS, type PodObject } from '../nodelifecycle/podsByNode.js';
import { NODES, type NodeObject } from '../nodelifecycle/taints.js';

/** Upstream's defaults. */
export const POD_GC_DEFAULTS = {
  terminatedPodThreshold: 12_500,
  checkPeriodMs: 20_000,
  quarantineMs: 40_000,
} as const;

const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service';

const ORPHANED_CONDITION: PodCondition = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' };

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Succeeded or Failed (any phase but Pending, Running and Unknown, as upstream counts). */
export function isTerminated(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== undefined && phase !== 'Pending' && phase !== 'Running' && phase !== 'Unknown';
}

function isEvicted(pod: Pod): boolean {
  return pod.status?.phase === 'Failed' && pod.status.reason === 'Evicted';
}

/** Upstream's deletion order: evicted pods first, then oldest first, then by name. */
export function byEvictionAndAge(a: Pod, b: Pod): number {
  const [ea, eb] = [isEvicted(a), isEvicted(b)];
  if (ea !== eb) return ea ? -1 : 1;
  const [ta, tb] = [Date.parse(a.metadata?.creationTimestamp ?? ''), Date.parse(b.metadata?.creationTimestamp ?? '')];
  if (ta !== tb) return ta - tb;
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

function isReady(node: NodeObject): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** See the module comment. */
export class PodGcController implements Controller {
  readonly #context: ControllerContext;
  readonly #threshold: number;
  readonly #checkPeriodMs: number;
  readonly #pods: SharedInformer<PodObject>;
  readonly #nodes: SharedInformer<NodeObject>;
  /** Missing node name → when pods bound to it were first seen. */
  readonly #quarantine = new Map<string, number>();

  constructor(context: ControllerContext, options: { checkPeriodMs?: number } = {}) {
    this.#context = context;
    this.#threshold = context.settings?.terminatedPodGcThreshold ?? POD_GC_DEFAULTS.terminatedPodThreshold;
    this.#checkPeriodMs = options.checkPeriodMs ?? POD_GC_DEFAULTS.checkPeriodMs;
    this.#pods = context.informers.informerFor<PodObject>(PODS);
    this.#nodes = context.informers.informerFor<NodeObject>(NODES);
  }

  async run(signal: AbortSignal): Promise<void> {
    for (const informer of [this.#pods, this.#nodes]) if (!(await informer.waitForSync(signal))) return;
    while (!signal.aborted) {
      try {
        await this.#gc(signal);
      } catch (err) {
        if (!signal.aborted) this.#context.log(err instanceof Error ? err.message : String(err));
      }
      await sleep(this.#context.clock, this.#checkPeriodMs, signal);
    }
  }

  async #gc(signal: AbortSignal): Promise<void> {
    const pods = this.#pods.indexer.list();
    const nodes = this.#nodes.indexer.list();
    if (this.#threshold > 0) await this.#gcTerminated(pods, signal);
    await this.#gcTerminatingOutOfService(pods, signal);
    await this.#gcOrphaned(pods, nodes, signal);
    await this.#gcUnscheduledTerminating(pods, signal);
  }

  async #gcTerminated(pods: readonly PodObject[], signal: AbortSignal): Promise<void> {
    const terminated = pods.filter(isTerminated);
    const excess = terminated.length - this.#threshold;
    if (excess <= 0) return;
    this.#context.log(`garbage collecting ${excess} terminated pods`);
    await this.#deleteAll(terminated.sort(byEvictionAndAge).slice(0, excess), undefined, signal);
  }

  async #gcTerminatingOutOfService(pods: readonly PodObject[], signal: AbortSignal): Promise<void> {
    const outOfService = (nodeName: string | undefined): boolean => {
      const node = nodeName ? this.#nodes.indexer.get(nodeName) : undefined;
      return node !== undefined && !isReady(node) && (node.spec?.taints ?? []).some((t) => t.key === OUT_OF_SERVICE_TAINT);
    };
    const terminating = pods.filter((p) => p.metadata.deletionTimestamp !== undefined && outOfService(p.spec?.nodeName));
    await this.#deleteAll(terminating.sort(byEvictionAndAge), undefined, signal);
  }

  async #gcOrphaned(pods: readonly PodObject[], nodes: readonly NodeObject[], signal: AbortSignal): Promise<void> {
    const existing = new Set(nodes.map((n) => n.metadata.name));
    const now = this.#context.clock.now();
    for (const pod of pods) {
      const nodeName = pod.spec?.nodeName;
      if (nodeName && !existing.has(nodeName) && !this.#quarantine.has(nodeName)) this.#quarantine.set(nodeName, now);
    }
    const deleted = new Set<string>();
    for (const [nodeName, since] of this.#quarantine) {
      if (now < since + POD_GC_DEFAULTS.quarantineMs) continue;
      this.#quarantine.delete(nodeName);
      if (existing.has(nodeName)) continue;
      if (!(await this.#nodeExists(nodeName, signal))) deleted.add(nodeName);
    }
    const orphaned = pods.filter((p) => deleted.has(p.spec?.nodeName ?? ''));
    await this.#deleteAll(orphaned, ORPHANED_CONDITION, signal);
  }

  async #gcUnscheduledTerminating(pods: readonly PodObject[], signal: AbortSignal): Promise<void> {
    const unscheduled = pods.filter((p) => p.metadata.deletionTimestamp !== undefined && !p.spec?.nodeName);
    await this.#deleteAll(unscheduled, undefined, signal);
  }

  /** Whether Node `name` exists; errors other than NotFound count as existing (the next pass asks again). */
  async #nodeExists(name: string, signal: AbortSignal): Promise<boolean> {
    try {
      await this.#context.client.get(NODES, name, { signal });
      return true;
    } catch (err) {
      if (isStatusReason(err, 'NotFound')) return false;
      this.#context.log(`reading node ${name}: ${err instanceof Error ? err.message : String(err)}`);
      return true;
    }
  }

  async #deleteAll(pods: readonly PodObject[], condition: PodCondition | undefined, signal: AbortSignal): Promise<void> {
    await Promise.all(pods.map(async (pod) => {
      try {
        await this.#markFailedAndDelete(pod, condition, signal);
      } catch (err) {
        if (!signal.aborted && !isStatusReason(err, 'NotFound')) {
          this.#context.log(`deleting pod ${pod.metadata.namespace}/${pod.metadata.name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }));
  }

  async #markFailedAndDelete(pod: PodObject, condition: PodCondition | undefined, signal: AbortSignal): Promise<void> {
    const target = { ...PODS, namespace: pod.metadata.namespace ?? '' };
    const name = pod.metadata.name ?? '';
    if (!isTerminated(pod)) {
      const status: Record<string, unknown> = { phase: 'Failed' };
      if (condition !== undefined) status.conditions = [{ ...condition, lastTransitionTime: rfc3339(this.#context.clock.now()) }];
      await this.#context.client.patch(target, name, 'strategic', { metadata: { uid: pod.metadata.uid }, status }, { subresource: 'status', signal });
    }
    await this.#context.client.delete(target, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid }, signal });
  }
}

/** The pod garbage collector, as `k8ts server` runs it. */
export const podGcControllerDescriptor: ControllerDescriptor = {
  name: 'pod-garbage-collector',
  create: (context) => new PodGcController(context),
};
