/**
 * The scheduling queue (upstream PriorityQueue): pods waiting for a node.
 * - activeQ: pods to try now, ordered by the profile's QueueSort plugin;
 * - backoffQ: pods that failed, each waiting out its backoff (1 s doubling to 10 s by
 *   attempts) before going back to activeQ (checked every second);
 * - unschedulable: pods no node fitted, parked until a cluster event one of the plugins
 *   that rejected them registered for (any event when none did), or for 5 minutes;
 * - gated: pods with scheduling gates, until an update removes them.
 * A pod popped is in flight until `done`; an event its rejecting plugins care about
 * arriving meanwhile sends it to backoff rather than to the unschedulable pods.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock, TimerHandle } from '../../client/index.js';
import type { ClusterEvent, QueuedPod } from '../framework/interface.js';
import { KeyedHeap } from './heap.js';

/** A pod in the queue with its scheduling history. */
export interface QueuedPodInfo extends QueuedPod {
  pod: Pod;
  timestamp: number;
  attempts: number;
  /** When the pod first entered the queue (ms); metrics measure from here. */
  readonly initialAttemptTimestamp: number;
  /** The plugins that rejected it last time (empty: an error, or never tried). */
  unschedulablePlugins: ReadonlySet<string>;
}

/** Timing choices (upstream defaults). */
export interface QueueOptions {
  clock: Clock;
  /** Orders activeQ (the QueueSort plugin's `less`). */
  less(a: QueuedPod, b: QueuedPod): boolean;
  /** For each plugin, the cluster events that may make pods it rejected schedulable. */
  eventsByPlugin: ReadonlyMap<string, readonly ClusterEvent[]>;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a pod stays unschedulable without any event before being retried (5 min). */
  maxUnschedulableMs?: number;
}

/** How many pods each part of the queue holds (scheduler_pending_pods). */
export interface QueueCounts {
  active: number;
  backoff: number;
  unschedulable: number;
  gated: number;
}

/** How many in-flight events the queue remembers before it treats every in-flight pod as moved. */
const MAX_RECENT_EVENTS = 1000;

const uidOf = (p: QueuedPodInfo): string => p.pod.metadata?.uid ?? '';
const isGated = (pod: Pod): boolean => (pod.spec?.schedulingGates?.length ?? 0) > 0;

/** See the module comment. */
export class SchedulingQueue {
  readonly #options: QueueOptions;
  readonly #active: KeyedHeap<QueuedPodInfo>;
  readonly #backoff: KeyedHeap<QueuedPodInfo>;
  readonly #unschedulable = new Map<string, QueuedPodInfo>();
  readonly #gated = new Map<string, QueuedPodInfo>();
  /** In-flight pods by uid, with the latest version of the pod seen while in flight. */
  readonly #inFlight = new Map<string, { cycle: number; updated?: Pod; deleted?: boolean }>();
  readonly #waiters: Array<() => void> = [];
  /** Pending pods nominated to a node (status.nominatedNodeName), by node then uid. */
  readonly #nominated = new Map<string, Map<string, Pod>>();
  readonly #nominatedNode = new Map<string, string>();
  #cycle = 0;
  /** Cluster events seen while pods were in flight, with the cycle they arrived in (at most MAX_RECENT_EVENTS). */
  #recentEvents: Array<{ cycle: number; event: ClusterEvent }> = [];
  /** The cycle of the oldest event dropped from `#recentEvents` (pods in flight since then count as moved). */
  #droppedUpTo = -1;
  #timers: TimerHandle[] = [];
  #closed = false;

  constructor(options: QueueOptions) {
    this.#options = options;
    this.#active = new KeyedHeap(uidOf, (a, b) => options.less(a, b));
    this.#backoff = new KeyedHeap(uidOf, (a, b) => this.#backoffExpiry(a) < this.#backoffExpiry(b));
  }

  /** Starts the periodic flushes (backoff every second, long-unschedulable pods every 30 s). */
  start(): void {
    const every = (ms: number, fn: () => void): void => {
      const tick = (): void => {
        if (this.#closed) return;
        fn();
        this.#timers.push(this.#options.clock.setTimeout(tick, ms));
      };
      this.#timers.push(this.#options.clock.setTimeout(tick, ms));
    };
    every(1000, () => this.flushBackoff());
    every(30_000, () => this.flushUnschedulableLeftover());
  }

  /** Stops the flushes and wakes every `pop` waiter with undefined. */
  close(): void {
    this.#closed = true;
    for (const t of this.#timers) this.#options.clock.clearTimeout(t);
    this.#timers = [];
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** A new pending pod. */
  add(pod: Pod): void {
    const now = this.#options.clock.now();
    const info: QueuedPodInfo = { pod, timestamp: now, attempts: 0, initialAttemptTimestamp: now, unschedulablePlugins: new Set() };
    this.nominate(pod, pod.status?.nominatedNodeName);
    if (isGated(pod)) this.#gated.set(uidOf(info), info);
    else this.#toActive(info);
  }

  /** A pending pod changed: updated in place; a parked pod whose spec or labels changed is retried. */
  update(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    this.nominate(pod, pod.status?.nominatedNodeName);
    const flight = this.#inFlight.get(uid);
    if (flight !== undefined) {
      flight.updated = pod;
      return;
    }
    for (const heap of [this.#active, this.#backoff]) {
      const found = heap.get(uid);
      if (found !== undefined) {
        found.pod = pod;
        heap.push(found);
        return;
      }
    }
    const gated = this.#gated.get(uid);
    if (gated !== undefined) {
      gated.pod = pod;
      if (!isGated(pod)) {
        this.#gated.delete(uid);
        this.#toActive(gated);
      }
      return;
    }
    const parked = this.#unschedulable.get(uid);
    if (parked !== undefined) {
      const changed = JSON.stringify([parked.pod.spec, parked.pod.metadata?.labels, parked.pod.metadata?.annotations]) !== JSON.stringify([pod.spec, pod.metadata?.labels, pod.metadata?.annotations]);
      parked.pod = pod;
      if (changed) {
        this.#unschedulable.delete(uid);
        this.#requeue(parked);
      }
      return;
    }
    this.add(pod);
  }

  /** A pod no longer pending (deleted, or bound elsewhere). */
  delete(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const flight = this.#inFlight.get(uid);
    if (flight !== undefined) flight.deleted = true;
    this.nominate(pod, undefined);
    this.#active.remove(uid);
    this.#backoff.remove(uid);
    this.#unschedulable.delete(uid);
    this.#gated.delete(uid);
  }

  /** The next pod to schedule (its attempts counted), waiting for one; undefined once closed. */
  async pop(): Promise<QueuedPodInfo | undefined> {
    while (this.#active.size === 0) {
      if (this.#closed) return undefined;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    const info = this.#active.pop() as QueuedPodInfo;
    info.attempts += 1;
    this.#cycle += 1;
    this.#inFlight.set(uidOf(info), { cycle: this.#cycle });
    return info;
  }

  /** Whether a pod popped earlier was deleted while in flight. */
  wasDeleted(uid: string): boolean {
    return this.#inFlight.get(uid)?.deleted === true;
  }

  /**
   * A pod that could not be scheduled this time: to the unschedulable pods when plugins
   * rejected it and no move request came while it was in flight, else to backoff.
   */
  requeueFailed(info: QueuedPodInfo, rejectedBy: ReadonlySet<string>): void {
    const uid = uidOf(info);
    const flight = this.#inFlight.get(uid);
    this.#inFlight.delete(uid);
    if (flight?.deleted) return;
    if (flight?.updated !== undefined) info.pod = flight.updated;
    info.timestamp = this.#options.clock.now();
    info.unschedulablePlugins = rejectedBy;
    const movedMeanwhile = flight !== undefined && this.#eventSince(flight.cycle, rejectedBy);
    if (rejectedBy.size === 0 || movedMeanwhile || flight?.updated !== undefined) this.#backoff.push(info);
    else this.#unschedulable.set(uid, info);
    this.#forgetEventsIfIdle();
  }

  /** The pod's cycle is over (bound, or handed to `requeueFailed`). */
  done(uid: string): void {
    this.#inFlight.delete(uid);
    this.#forgetEventsIfIdle();
  }

  /** A cluster event: parked pods whose rejecting plugins care about it go back to backoff or activeQ. */
  onEvent(event: ClusterEvent): void {
    if (this.#inFlight.size > 0) {
      this.#recentEvents.push({ cycle: this.#cycle, event });
      if (this.#recentEvents.length > MAX_RECENT_EVENTS) this.#droppedUpTo = (this.#recentEvents.shift() as { cycle: number }).cycle;
    }
    for (const [uid, info] of this.#unschedulable) {
      if (!this.#interested(info, event)) continue;
      this.#unschedulable.delete(uid);
      this.#requeue(info);
    }
  }

  /** Moves pods whose backoff is over to activeQ. */
  flushBackoff(): void {
    const now = this.#options.clock.now();
    for (let next = this.#backoff.peek(); next !== undefined && this.#backoffExpiry(next) <= now; next = this.#backoff.peek()) {
      this.#backoff.pop();
      this.#toActive(next);
    }
  }

  /** Retries pods unschedulable for longer than the limit (5 min). */
  flushUnschedulableLeftover(): void {
    const limit = this.#options.maxUnschedulableMs ?? 5 * 60_000;
    const now = this.#options.clock.now();
    for (const [uid, info] of this.#unschedulable) {
      if (now - info.timestamp < limit) continue;
      this.#unschedulable.delete(uid);
      this.#requeue(info);
    }
  }

  /** Records that `pod` is nominated to `nodeName` (undefined or empty: to none). */
  nominate(pod: Pod, nodeName: string | undefined): void {
    const uid = pod.metadata?.uid ?? '';
    const previous = this.#nominatedNode.get(uid);
    if (previous !== undefined) {
      this.#nominated.get(previous)?.delete(uid);
      if (this.#nominated.get(previous)?.size === 0) this.#nominated.delete(previous);
      this.#nominatedNode.delete(uid);
    }
    if (!nodeName) return;
    let onNode = this.#nominated.get(nodeName);
    if (onNode === undefined) this.#nominated.set(nodeName, (onNode = new Map()));
    onNode.set(uid, pod);
    this.#nominatedNode.set(uid, nodeName);
  }

  /** The pending pods nominated to `nodeName`. */
  nominatedPods(nodeName: string): readonly Pod[] {
    const onNode = this.#nominated.get(nodeName);
    return onNode === undefined ? [] : [...onNode.values()];
  }

  /** How many pods wait where. */
  counts(): QueueCounts {
    return { active: this.#active.size, backoff: this.#backoff.size, unschedulable: this.#unschedulable.size, gated: this.#gated.size };
  }


  /** Whether an event one of `plugins` cares about arrived since `cycle` (upstream's in-flight events). */
  #eventSince(cycle: number, plugins: ReadonlySet<string>): boolean {
    if (this.#droppedUpTo >= cycle) return true;
    return this.#recentEvents.some((e) => e.cycle >= cycle && this.#pluginsInterested(plugins, e.event));
  }

  #forgetEventsIfIdle(): void {
    if (this.#inFlight.size > 0) return;
    this.#recentEvents = [];
    this.#droppedUpTo = -1;
  }

  #interested(info: QueuedPodInfo, event: ClusterEvent): boolean {
    return this.#pluginsInterested(info.unschedulablePlugins, event);
  }

  #pluginsInterested(plugins: ReadonlySet<string>, event: ClusterEvent): boolean {
    if (plugins.size === 0) return true;
    for (const plugin of plugins) {
      const events = this.#options.eventsByPlugin.get(plugin);
      if (events === undefined) return true;
      if (events.some((e) => e.resource === event.resource && e.action === event.action)) return true;
    }
    return false;
  }

  #requeue(info: QueuedPodInfo): void {
    if (this.#backoffExpiry(info) > this.#options.clock.now()) this.#backoff.push(info);
    else this.#toActive(info);
  }

  #toActive(info: QueuedPodInfo): void {
    this.#active.push(info);
    const wake = this.#waiters.shift();
    if (wake !== undefined) wake();
  }

  #backoffExpiry(info: QueuedPodInfo): number {
    const initial = this.#options.initialBackoffMs ?? 1000;
    const max = this.#options.maxBackoffMs ?? 10_000;
    if (info.attempts === 0) return info.timestamp;
    const duration = Math.min(max, initial * 2 ** Math.min(info.attempts - 1, 30));
    return info.timestamp + duration;
  }
}
