/**
 * The taint eviction controller (upstream's pkg/controller/tainteviction): pods on a
 * node with NoExecute taints are deleted — at once when they do not tolerate every
 * one of them, after the smallest tolerationSeconds of the tolerations used
 * otherwise, never when those tolerate forever. A deletion is cancelled when the
 * taints go or the pod's tolerations change to tolerate them for good.
 *
 * Deleting a pod: a Normal TaintManagerEviction event "Marking for deletion Pod
 * NS/NAME", the DisruptionTarget condition (reason DeletionByTaintManager), then a
 * delete with the pod's own grace period. A cancelled deletion gets a
 * "Cancelling deletion of Pod NS/NAME" event.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { isStatusReason } from '../../api/status.js';
import { EventRecorder, deletedObject, objectKey, splitKey } from '../../client/index.js';
import type { SharedInformer, TimerHandle } from '../../client/index.js';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controller.js';
import { WorkLoop } from '../workLoop.js';
import { PODS, podsByNodeInformer, podsOnNode, type PodObject } from './podsByNode.js';
import { NODES, type NodeObject } from './taints.js';
import { matchingTolerations, minTolerationMs } from './tolerations.js';

/** A deletion waiting for its time. */
interface ScheduledEviction {
  createdAt: number;
  timer: TimerHandle;
}

/** How many times a due deletion is tried before giving up (upstream's retries). */
const DELETE_ATTEMPTS = 5;

function noExecuteTaints(node: NodeObject | undefined): Taint[] {
  return (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
}

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** See the module comment. */
export class TaintEvictionController implements Controller {
  readonly #context: ControllerContext;
  readonly #nodes: SharedInformer<NodeObject>;
  readonly #pods: SharedInformer<PodObject>;
  readonly #events: EventRecorder;
  readonly #nodeLoop: WorkLoop;
  readonly #podLoop: WorkLoop;
  /** Node name → its NoExecute taints (only nodes that have some). */
  readonly #taintedNodes = new Map<string, Taint[]>();
  /** Pod key → its pending deletion. */
  readonly #scheduled = new Map<string, ScheduledEviction>();
  readonly #deleting = new Set<Promise<void>>();
  #signal: AbortSignal | undefined;

  constructor(context: ControllerContext) {
    this.#context = context;
    this.#nodes = context.informers.informerFor<NodeObject>(NODES);
    this.#pods = podsByNodeInformer(context.informers);
    this.#events = new EventRecorder(context.client, context.clock, { component: 'taint-eviction-controller' }, (err) =>
      context.log(`recording an event failed: ${err instanceof Error ? err.message : String(err)}`));
    const informers = [this.#nodes, this.#pods];
    this.#nodeLoop = new WorkLoop({ clock: context.clock, informers, log: context.log, sync: async (name) => this.#handleNode(name) });
    this.#podLoop = new WorkLoop({ clock: context.clock, informers, log: context.log, sync: async (key) => this.#handlePod(key) });
    this.#nodes.addEventHandler({
      onAdd: (node) => this.#nodeLoop.enqueue(objectKey(node)),
      onUpdate: (old, node) => {
        if (!isDeepStrictEqual(noExecuteTaints(old), noExecuteTaints(node))) this.#nodeLoop.enqueue(objectKey(node));
      },
      onDelete: (node) => this.#nodeLoop.enqueue(objectKey(deletedObject(node))),
    });
    this.#pods.addEventHandler({
      onAdd: (pod) => this.#podLoop.enqueue(objectKey(pod)),
      onUpdate: (old, pod) => {
        const same = isDeepStrictEqual(old.spec?.tolerations ?? [], pod.spec?.tolerations ?? []) && old.spec?.nodeName === pod.spec?.nodeName;
        if (!same) this.#podLoop.enqueue(objectKey(pod));
      },
      onDelete: (pod) => this.#podLoop.enqueue(objectKey(deletedObject(pod))),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    this.#signal = signal;
    try {
      await Promise.all([this.#nodeLoop.run(signal), this.#podLoop.run(signal)]);
    } finally {
      for (const scheduled of this.#scheduled.values()) this.#context.clock.clearTimeout(scheduled.timer);
      this.#scheduled.clear();
      await Promise.all(this.#deleting);
      await this.#events.flushed();
    }
  }

  #handleNode(name: string): void {
    const node = this.#nodes.indexer.get(name);
    const taints = noExecuteTaints(node);
    if (taints.length === 0) this.#taintedNodes.delete(name);
    else this.#taintedNodes.set(name, taints);
    if (node === undefined) return;
    const pods = podsOnNode(this.#pods, name);
    const now = this.#context.clock.now();
    for (const pod of pods) this.#processPod(objectKey(pod), pod.spec?.tolerations ?? [], taints, now);
  }

  #handlePod(key: string): void {
    const pod = this.#pods.indexer.get(key);
    if (pod === undefined) {
      this.#cancel(key);
      return;
    }
    const nodeName = pod.spec?.nodeName;
    if (nodeName === undefined || nodeName === '') return;
    const taints = this.#taintedNodes.get(nodeName);
    if (taints === undefined) return;
    this.#processPod(key, pod.spec?.tolerations ?? [], taints, this.#context.clock.now());
  }

  #processPod(key: string, tolerations: readonly Toleration[], taints: readonly Taint[], now: number): void {
    if (taints.length === 0) {
      this.#cancel(key);
      return;
    }
    const { allTolerated, used } = matchingTolerations(taints, tolerations);
    if (!allTolerated) {
      this.#cancel(key);
      this.#schedule(key, now, now);
      return;
    }
    const waitMs = minTolerationMs(used);
    if (waitMs === undefined) {
      this.#cancel(key);
      return;
    }
    let start = now;
    const existing = this.#scheduled.get(key);
    if (existing !== undefined) {
      start = existing.createdAt;
      if (start + waitMs < now + waitMs) return;
      this.#cancel(key);
    }
    this.#schedule(key, start, start + waitMs);
  }

  /** Cancels the pending deletion of `key`, with an event, if there is one. */
  #cancel(key: string): void {
    const scheduled = this.#scheduled.get(key);
    if (scheduled === undefined) return;
    this.#context.clock.clearTimeout(scheduled.timer);
    this.#scheduled.delete(key);
    this.#podEvent(key, `Cancelling deletion of Pod ${key}`);
  }

  /** Deletes pod `key` at `fireAt` (at once when that has come). */
  #schedule(key: string, createdAt: number, fireAt: number): void {
    const delay = fireAt - this.#context.clock.now();
    if (delay <= 0) {
      this.#startEviction(key);
      return;
    }
    const timer = this.#context.clock.setTimeout(() => {
      this.#scheduled.delete(key);
      this.#startEviction(key);
    }, delay);
    this.#scheduled.set(key, { createdAt, timer });
  }

  #startEviction(key: string): void {
    const deletion = this.#evict(key).finally(() => this.#deleting.delete(deletion));
    this.#deleting.add(deletion);
  }

  #podEvent(key: string, message: string): void {
    const { namespace, name } = splitKey(key);
    this.#events.record({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name } }, 'Normal', 'TaintManagerEviction', message);
  }

  async #evict(key: string): Promise<void> {
    const signal = this.#signal;
    if (signal?.aborted) return;
    this.#podEvent(key, `Marking for deletion Pod ${key}`);
    for (let attempt = 1; attempt <= DELETE_ATTEMPTS; attempt++) {
      try {
        await this.#addConditionAndDelete(key, signal);
        return;
      } catch (err) {
        if (signal?.aborted) return;
        if (attempt === DELETE_ATTEMPTS) this.#context.log(`deleting pod ${key}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  async #addConditionAndDelete(key: string, signal: AbortSignal | undefined): Promise<void> {
    const { namespace, name } = splitKey(key);
    const target = { ...PODS, namespace };
    try {
      const pod = await this.#context.client.get<PodObject>(target, name, { signal });
      const present = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
      const condition = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' };
      if (present?.status !== condition.status || present.reason !== condition.reason || present.message !== condition.message) {
        const patch = { metadata: { uid: pod.metadata.uid }, status: { conditions: [{ ...condition, lastTransitionTime: rfc3339(this.#context.clock.now()) }] } };
        await this.#context.client.patch(target, name, 'strategic', patch, { subresource: 'status', signal });
      }
      await this.#context.client.delete(target, name, { signal });
    } catch (err) {
      if (!isStatusReason(err, 'NotFound')) throw err;
    }
  }
}

/** The taint eviction controller, as `k8ts server` runs it. */
export const taintEvictionControllerDescriptor: ControllerDescriptor = {
  name: 'taint-eviction',
  create: (context) => new TaintEvictionController(context),
};
