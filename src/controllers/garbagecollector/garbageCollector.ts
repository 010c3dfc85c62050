/**
 * The garbage collector (upstream `garbage-collector`): watches every resource that
 * can be listed, watched and deleted, keeps an ownership graph of what it sees, and
 * deletes objects whose owners are gone, completes foreground deletions and orphans
 * dependents (see collect.ts). Discovery runs again periodically so that resources
 * added later (custom resources) are watched too. Work waits until every watched
 * resource's cache is synced, so decisions about dependents see all of them.
 */
import { WorkQueue, deletedObject, serverPreferredResources, sleep } from '../../client/index.js';
import type { Clock, RestClient, ServerResources } from '../../client/index.js';
import type { KubeObject } from '../../api/object.js';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controller.js';
import { UnknownOwnerKindError, attemptToDelete, orphanDependents } from './collect.js';
import type { CollectDeps } from './collect.js';
import { OwnershipGraph, isDeletingDependents, isOrphaning, nodeOf } from './graph.js';
import type { GraphNode } from './graph.js';
import { KindMapper, monitoredResources } from './resources.js';
import type { MonitoredResource } from './resources.js';

/** Finds the server's resources; see `serverPreferredResources`. */
export type DiscoverResources = (signal?: AbortSignal) => Promise<ServerResources>;

/** Tuning of the garbage collector; the defaults are upstream's. */
export interface GarbageCollectorOptions {
  /** Objects processed at once per queue (default 20, upstream `--concurrent-gc-syncs`). */
  workers?: number;
  /** How often discovery is repeated to find new resources (default 30 000 ms). */
  rediscoveryPeriodMs?: number;
  discover?: DiscoverResources;
}

/** The garbage collector; see the module comment. */
export class GarbageCollector implements Controller {
  readonly #context: ControllerContext;
  readonly #graph = new OwnershipGraph();
  readonly #kinds = new KindMapper();
  readonly #monitored = new Map<string, Promise<boolean>>();
  readonly #attemptToDelete: WorkQueue<string>;
  readonly #attemptToOrphan: WorkQueue<string>;
  readonly #workers: number;
  readonly #rediscoveryPeriodMs: number;
  readonly #discover: DiscoverResources;

  constructor(context: ControllerContext, options: GarbageCollectorOptions = {}) {
    this.#context = context;
    const clock: Clock = context.clock;
    this.#attemptToDelete = new WorkQueue<string>({ clock });
    this.#attemptToOrphan = new WorkQueue<string>({ clock });
    this.#workers = options.workers ?? 20;
    this.#rediscoveryPeriodMs = options.rediscoveryPeriodMs ?? 30_000;
    const client: RestClient = context.client;
    this.#discover = options.discover ?? ((signal) => serverPreferredResources(client, signal));
  }

  /** Discovers and watches resources, waits for their caches, then works until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const stop = (): void => {
      this.#attemptToDelete.shutdown();
      this.#attemptToOrphan.shutdown();
    };
    signal.addEventListener('abort', stop, { once: true });
    try {
      while (!signal.aborted && !(await this.#syncMonitors(signal))) await sleep(this.#context.clock, 5000, signal).catch(() => undefined);
      if (!(await this.#waitForSync(signal))) return;
      const deps: CollectDeps = { client: this.#context.client, graph: this.#graph, kinds: this.#kinds, enqueue: (uid) => this.#attemptToDelete.add(uid), signal };
      await Promise.all([
        this.#rediscover(signal),
        ...Array.from({ length: this.#workers }, () => this.#work(this.#attemptToDelete, (uid) => attemptToDelete(uid, deps), signal)),
        ...Array.from({ length: this.#workers }, () => this.#work(this.#attemptToOrphan, (uid) => orphanDependents(uid, deps), signal)),
      ]);
    } finally {
      stop();
      signal.removeEventListener('abort', stop);
    }
  }

  /** The ownership graph as observed so far (read-only use). */
  get graph(): OwnershipGraph {
    return this.#graph;
  }

  /** Runs discovery and watches resources not watched yet; false when discovery failed outright. */
  async #syncMonitors(signal: AbortSignal): Promise<boolean> {
    let discovered: ServerResources;
    try {
      discovered = await this.#discover(signal);
    } catch (err) {
      if (!signal.aborted) this.#context.log(`failed to discover resources: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
    if (discovered.failure !== undefined) this.#context.log(discovered.failure.message);
    const resources = monitoredResources(discovered.lists);
    this.#kinds.learn(resources.values());
    let added = false;
    for (const [key, resource] of resources) {
      if (this.#monitored.has(key)) continue;
      this.#monitored.set(key, this.#monitor(resource, signal));
      added = true;
    }
    if (added && !signal.aborted) this.#context.informers.start(signal);
    return true;
  }

  /** Feeds `resource`'s informer events into the graph; resolves when its cache is synced. */
  #monitor(resource: MonitoredResource, signal: AbortSignal): Promise<boolean> {
    const informer = this.#context.informers.informerFor<KubeObject>(resource.target);
    informer.addEventHandler({
      onAdd: (obj) => this.#observe(nodeOf(obj, resource.target)),
      onUpdate: (_old, obj) => this.#observe(nodeOf(obj, resource.target)),
      onDelete: (value) => this.#forget(deletedObject(value).metadata.uid ?? ''),
    });
    return informer.waitForSync(signal);
  }

  /** Resolves true once every watched resource's cache is synced (false if `signal` aborts first). */
  async #waitForSync(signal: AbortSignal): Promise<boolean> {
    const synced = await Promise.all(this.#monitored.values());
    return !signal.aborted && synced.every(Boolean);
  }

  /** Repeats discovery every period until `signal` aborts. */
  async #rediscover(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await sleep(this.#context.clock, this.#rediscoveryPeriodMs, signal);
      } catch {
        return;
      }
      await this.#syncMonitors(signal);
    }
  }

  /** An object was added or changed: record it and queue what its change may concern. */
  #observe(node: GraphNode): void {
    const old = this.#graph.upsert(node);
    if (node.owners.some((ref) => this.#ownerNeedsLook(ref.uid)) && (old === undefined || JSON.stringify(old.owners) !== JSON.stringify(node.owners))) {
      this.#attemptToDelete.add(node.uid);
    }
    for (const ref of old?.owners ?? []) this.#wakeWaitingOwner(ref.uid);
    if (isOrphaning(node)) this.#attemptToOrphan.add(node.uid);
    if (isDeletingDependents(node)) {
      if (old === undefined || !isDeletingDependents(old)) for (const dependent of this.#graph.dependents(node.uid)) this.#attemptToDelete.add(dependent.uid);
      this.#attemptToDelete.add(node.uid);
    }
  }

  /** An object is gone: its dependents may now be garbage, and an owner waiting for it may be done. */
  #forget(uid: string): void {
    const old = this.#graph.remove(uid);
    for (const dependent of this.#graph.dependents(uid)) this.#attemptToDelete.add(dependent.uid);
    for (const ref of old?.owners ?? []) this.#wakeWaitingOwner(ref.uid);
  }

  /** True when an owner is not observed (it may not exist) or waits for its dependents. */
  #ownerNeedsLook(ownerUid: string): boolean {
    const owner = this.#graph.get(ownerUid);
    return owner === undefined || isDeletingDependents(owner);
  }

  #wakeWaitingOwner(ownerUid: string): void {
    const owner = this.#graph.get(ownerUid);
    if (owner !== undefined && isDeletingDependents(owner)) this.#attemptToDelete.add(ownerUid);
  }

  /** Takes uids off `queue` until it shuts down; failures are retried with backoff. */
  async #work(queue: WorkQueue<string>, process: (uid: string) => Promise<void>, signal: AbortSignal): Promise<void> {
    for (let uid = await queue.get(); uid !== undefined; uid = await queue.get()) {
      try {
        if (signal.aborted) continue;
        await process(uid);
        queue.forget(uid);
      } catch (err) {
        if (signal.aborted) continue;
        queue.addRateLimited(uid);
        if (!(err instanceof UnknownOwnerKindError)) this.#context.log(`error syncing item ${uid}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        queue.done(uid);
      }
    }
  }
}

/** The garbage collector as the manager builds it (upstream name `garbage-collector`). */
export const garbageCollectorDescriptor: ControllerDescriptor = {
  name: 'garbage-collector',
  create: (context) => new GarbageCollector(context),
};
