/**
 * The kube-scheduler (upstream pkg/scheduler): watches nodes and pods, keeps the
 * scheduler cache and the scheduling queue, and runs one scheduling cycle at a time
 * for pods whose spec.schedulerName is its profile's. A cycle decides a node
 * synchronously on the snapshot, assumes the pod there and reserves, then binds in
 * the background so the next cycle can start. Outcomes as upstream: on success a
 * Normal `Scheduled` event; on failure the PodScheduled=False condition, a Warning
 * `FailedScheduling` event with upstream's summary, and the pod back in the queue.
 */
import { setMaxListeners } from 'node:events';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import { EventRecorder, InformerFactory, type EventObject, Lister, deletedObject, realClock, type Clock, type RestClient, type SharedInformer } from '../client/index.js';
import { SchedulerCache } from './cache/cache.js';
import { Snapshot } from './cache/snapshot.js';
import { DEFAULT_PROFILE } from './defaultProfile.js';
import { CycleState } from './framework/cycleState.js';
import { fitErrorMessage, rejectingPlugins, type FitDiagnosis } from './framework/fitError.js';
import type { Profile, SchedulerHandle } from './framework/profile.js';
import { Framework } from './framework/runtime.js';
import { isSuccess, type Status } from './framework/status.js';
import { DefaultSpreadSelector } from './defaultSpreadSelector.js';
import { SchedulerMetrics, type AttemptResult } from './metrics.js';
import { nodeUpdateMatters } from './nodeUpdates.js';
import { SchedulingQueue, type QueuedPodInfo } from './queue/schedulingQueue.js';
import { NodeCursor, schedulePod } from './schedulePod.js';
import { Semaphore } from './semaphore.js';

/** What the scheduler runs with. */
export interface SchedulerOptions {
  client: RestClient;
  clock?: Clock;
  profile?: Profile;
  metrics?: SchedulerMetrics;
  /** Where problems go (default: stderr). */
  log?: (message: string) => void;
  /** Backoff bounds (upstream 1 s and 10 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

type PodObject = KubeObject & Pod;

const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
/** Cycles run back to back for at most this long before other work (watch events, bind responses) gets a turn. */
const MAX_BUSY_MS = 20;
/** Binding requests in flight at most. */
const MAX_CONCURRENT_BINDINGS = 16;

/** The component the scheduler's events come from (upstream's). */
export const SCHEDULER_COMPONENT = 'default-scheduler';

const eventObject = (pod: Pod): EventObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata ?? {} });
const isTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const uidOf = (pod: Pod): string => pod.metadata?.uid ?? '';
const apiTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** See the module comment; `start` once, then `stop` once. */
export class Scheduler {
  readonly metrics: SchedulerMetrics;
  readonly #client: RestClient;
  readonly #clock: Clock;
  readonly #log: (message: string) => void;
  readonly #abort = new AbortController();
  readonly #cache = new SchedulerCache();
  readonly #snapshot = new Snapshot();
  readonly #cursor = new NodeCursor();
  readonly #framework: Framework;
  readonly #queue: SchedulingQueue;
  readonly #events: EventRecorder;
  readonly #informers: InformerFactory;
  readonly #pods: SharedInformer<PodObject>;
  readonly #podLister: Lister<PodObject>;
  readonly #namespaces: SharedInformer<KubeObject>;
  readonly #spreadSelector: DefaultSpreadSelector;
  readonly #bindings = new Set<Promise<void>>();
  /** Binding cycles run concurrently, but only so many at once (each is an API request on its own connection). */
  readonly #bindSlots = new Semaphore(MAX_CONCURRENT_BINDINGS);
  #loop: Promise<void> | undefined;

  constructor(options: SchedulerOptions) {
    this.#client = options.client;
    this.#clock = options.clock ?? realClock;
    this.#log = options.log ?? ((m) => process.stderr.write(`k8ts scheduler: ${m}\n`));
    this.metrics = options.metrics ?? new SchedulerMetrics();
    const handle: SchedulerHandle = {
      client: this.#client,
      clock: this.#clock,
      snapshot: () => this.#snapshot,
      runFilters: (state, pod, node) => this.#framework.runFilters(state, pod, node),
      runAddPod: (state, pod, added, node) => this.#framework.runAddPod(state, pod, added, node),
      runRemovePod: (state, pod, removed, node) => this.#framework.runRemovePod(state, pod, removed, node),
      nominatedPods: (nodeName) => this.#queue.nominatedPods(nodeName),
      cloneNode: (nodeName) => this.#snapshot.get(nodeName)?.clone(),
      recordEvent: (pod, type, reason, message) => this.#events.record(eventObject(pod), type, reason, message),
      namespaces: {
        namespaceLabels: (name) => this.#namespaces.lister.get(name)?.metadata.labels ?? {},
        namespaces: () => this.#namespaces.lister.list().map((ns) => [ns.metadata.name ?? '', ns.metadata.labels ?? {}] as const),
      },
      defaultSpreadSelector: (pod) => this.#spreadSelector.selectorFor(pod),
      get schedulerName() {
        return (options.profile ?? DEFAULT_PROFILE).schedulerName;
      },
    };
    this.#framework = new Framework(options.profile ?? DEFAULT_PROFILE, handle);
    this.#queue = new SchedulingQueue({
      clock: this.#clock,
      less: (a, b) => this.#framework.queueSort.less(a, b),
      eventsByPlugin: this.#framework.eventsByPlugin,
      ...(options.initialBackoffMs !== undefined ? { initialBackoffMs: options.initialBackoffMs } : {}),
      ...(options.maxBackoffMs !== undefined ? { maxBackoffMs: options.maxBackoffMs } : {}),
    });
    this.metrics.watchQueue(() => this.#queue.counts());
    this.#events = new EventRecorder(this.#client, this.#clock, { component: SCHEDULER_COMPONENT }, (err) => this.#warn(`event: ${errorText(err)}`));
    this.#informers = new InformerFactory(this.#client, { clock: this.#clock, onError: (err, context) => this.#warn(`informer: ${context}: ${errorText(err)}`) });
    this.#pods = this.#informers.informerFor<PodObject>(PODS);
    this.#podLister = new Lister(this.#pods.indexer);
    this.#namespaces = this.#informers.informerFor<KubeObject>(NAMESPACES);
    this.#spreadSelector = new DefaultSpreadSelector(this.#informers);
    const nodes = this.#informers.informerFor<KubeObject & Node>(NODES);
    nodes.addEventHandler({
      onAdd: (node) => {
        this.#cache.setNode(node);
        this.#queue.onEvent({ resource: 'Node', action: 'Add' });
      },
      onUpdate: (oldNode, newNode) => {
        this.#cache.setNode(newNode);
        if (nodeUpdateMatters(oldNode, newNode)) this.#queue.onEvent({ resource: 'Node', action: 'Update' });
      },
      onDelete: (value) => this.#cache.removeNode(deletedObject(value).metadata.name ?? ''),
    });
    this.#pods.addEventHandler({
      onAdd: (pod) => this.#podSeen(undefined, pod),
      onUpdate: (oldPod, newPod) => this.#podSeen(oldPod, newPod),
      onDelete: (value) => this.#podGone(deletedObject(value)),
    });
  }

  /** The profile's scheduler name. */
  get schedulerName(): string {
    return this.#framework.profile.schedulerName;
  }

  /** Starts the informers and, once they synced, the scheduling loop (returns at once). */
  start(): void {
    const signal = this.#abort.signal;
    // Every binding, status patch and watch of the scheduler listens to this one signal.
    setMaxListeners(0, signal);
    this.#informers.start(signal);
    this.#queue.start();
    this.#loop = (async () => {
      if (!(await this.#informers.waitForCacheSync(signal))) return;
      await this.#run(signal);
    })().catch((err: unknown) => this.#warn(`scheduling loop stopped: ${errorText(err)}`));
  }

  /** Stops scheduling and waits for the loop, the bindings under way, the informers and the events. */
  async stop(): Promise<void> {
    this.#abort.abort();
    this.#queue.close();
    await this.#loop;
    await Promise.allSettled([...this.#bindings]);
    await this.#informers.stopped();
    await this.#events.flushed();
  }

  #warn(message: string): void {
    if (!this.#abort.signal.aborted) this.#log(message);
  }

  #responsible(pod: Pod): boolean {
    return (pod.spec?.schedulerName || 'default-scheduler') === this.schedulerName;
  }

  #podSeen(oldPod: Pod | undefined, pod: Pod): void {
    const assigned = Boolean(pod.spec?.nodeName);
    if (isTerminal(pod)) {
      this.#podGone(pod);
      return;
    }
    if (assigned) {
      const wasAssigned = oldPod !== undefined && Boolean(oldPod.spec?.nodeName);
      if (!wasAssigned) this.#queue.delete(pod);
      this.#cache.setPod(pod);
      this.#queue.onEvent({ resource: 'Pod', action: wasAssigned ? 'Update' : 'Add' });
      return;
    }
    if (pod.metadata?.deletionTimestamp !== undefined || !this.#responsible(pod)) {
      this.#queue.delete(pod);
      return;
    }
    if (oldPod === undefined) this.#queue.add(pod);
    else this.#queue.update(pod);
  }

  #podGone(pod: Pod): void {
    this.#queue.delete(pod);
    this.#events.forget(uidOf(pod));
    if (this.#cache.hasPod(uidOf(pod))) {
      this.#cache.removePod(pod);
      this.#queue.onEvent({ resource: 'Pod', action: 'Delete' });
    }
  }

  async #run(signal: AbortSignal): Promise<void> {
    let busySince = this.#clock.now();
    while (!signal.aborted) {
      const queued = await this.#queue.pop();
      if (queued === undefined || signal.aborted) return;
      await this.#scheduleOne(queued, signal);
      if (this.#clock.now() - busySince >= MAX_BUSY_MS) {
        await yieldToEventLoop();
        busySince = this.#clock.now();
      }
    }
  }

  /** Whether the pod popped is still one to schedule (not deleted, bound or assumed meanwhile). */
  #stillPending(pod: Pod): boolean {
    const current = this.#podLister.get(pod.metadata?.name ?? '', pod.metadata?.namespace ?? '');
    if (current === undefined || uidOf(current) !== uidOf(pod) || this.#queue.wasDeleted(uidOf(pod))) return false;
    return !current.spec?.nodeName && current.metadata.deletionTimestamp === undefined && !this.#cache.hasPod(uidOf(pod));
  }

  async #scheduleOne(queued: QueuedPodInfo, signal: AbortSignal): Promise<void> {
    const pod = queued.pod;
    if (!this.#stillPending(pod)) {
      this.#queue.done(uidOf(pod));
      return;
    }
    const started = performance.now();
    const state = new CycleState();
    this.#cache.updateSnapshot(this.#snapshot);
    const result = schedulePod(this.#framework, state, pod, this.#snapshot, this.#cursor, (nodeName) => this.#queue.nominatedPods(nodeName));
    if (result.kind === 'error') {
      await this.#failed(queued, result.status.reasons.join(', '), 'SchedulerError', new Set(), undefined, started);
      return;
    }
    if (result.kind === 'unschedulable') {
      await this.#unschedulable(queued, state, result.diagnosis, signal, started);
      return;
    }
    const nodeName = result.nodeName;
    const assumed = { ...pod, spec: { ...pod.spec, containers: pod.spec?.containers ?? [], nodeName } };
    this.#cache.assumePod(pod, nodeName);
    const reserved = await this.#framework.runReserve(state, assumed, nodeName);
    if (!isSuccess(reserved)) {
      await this.#framework.runUnreserve(state, assumed, nodeName);
      this.#cache.forgetPod(pod);
      await this.#failed(queued, reserved.reasons.join(', '), reserved.code === 'Error' ? 'SchedulerError' : 'Unschedulable', new Set(reserved.plugin ? [reserved.plugin] : []), undefined, started);
      return;
    }
    const binding = this.#bindingCycle(queued, state, assumed, nodeName, signal, started).catch((err: unknown) => this.#warn(`binding ${pod.metadata?.namespace}/${pod.metadata?.name}: ${errorText(err)}`));
    this.#bindings.add(binding);
    void binding.finally(() => this.#bindings.delete(binding));
  }

  async #bindingCycle(queued: QueuedPodInfo, state: CycleState, pod: Pod, nodeName: string, signal: AbortSignal, started: number): Promise<void> {
    await this.#bindSlots.acquire();
    try {
      await this.#bind(queued, state, pod, nodeName, signal, started);
    } finally {
      this.#bindSlots.release();
    }
  }

  async #bind(queued: QueuedPodInfo, state: CycleState, pod: Pod, nodeName: string, signal: AbortSignal, started: number): Promise<void> {
    const preBound = await this.#framework.runPreBind(state, pod, nodeName, signal);
    const bound = isSuccess(preBound) ? await this.#framework.runBind(state, pod, nodeName, signal) : preBound;
    if (isSuccess(bound)) {
      this.#queue.done(uidOf(pod));
      this.#observe('scheduled', started);
      this.#events.record(eventObject(pod), 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} to ${nodeName}`);
      return;
    }
    this.#cache.forgetPod(queued.pod);
    await this.#framework.runUnreserve(state, pod, nodeName);
    this.#queue.onEvent({ resource: 'Pod', action: 'Delete' });
    if (signal.aborted) return;
    await this.#failed(queued, `running ${bound.plugin ?? 'Bind'} plugin: ${bound.reasons.join(', ')}`, 'SchedulerError', new Set(), undefined, started);
  }

  async #unschedulable(queued: QueuedPodInfo, state: CycleState, diagnosis: FitDiagnosis, signal: AbortSignal, started: number): Promise<void> {
    const pod = queued.pod;
    let nominatedNodeName: string | undefined;
    if (this.#framework.hasPostFilterPlugins()) {
      const rejections = new Map<string, Status>(diagnosis.nodeStatuses);
      const post = await this.#framework.runPostFilter(state, pod, rejections, signal);
      if (isSuccess(post.status)) {
        nominatedNodeName = post.nominatedNodeName;
        this.#queue.nominate(pod, nominatedNodeName);
      }
      else if (post.status.reasons.length > 0) diagnosis.postFilterMessage = post.status.reasons.join(', ');
    }
    await this.#failed(queued, fitErrorMessage(diagnosis), 'Unschedulable', rejectingPlugins(diagnosis), nominatedNodeName, started);
  }

  /** Records a failed attempt: back to the queue, FailedScheduling event, PodScheduled=False condition (and nominated node). */
  async #failed(queued: QueuedPodInfo, message: string, reason: 'Unschedulable' | 'SchedulerError', rejectedBy: ReadonlySet<string>, nominatedNodeName: string | undefined, started: number): Promise<void> {
    const pod = queued.pod;
    this.#observe(reason === 'Unschedulable' ? 'unschedulable' : 'error', started);
    const stillThere = this.#stillPending(pod);
    this.#queue.requeueFailed(queued, rejectedBy);
    if (!stillThere) return;
    this.#events.record(eventObject(pod), 'Warning', 'FailedScheduling', message);
    await this.#setUnschedulable(pod, reason, message, nominatedNodeName).catch((err: unknown) => this.#warn(`updating pod ${pod.metadata?.namespace}/${pod.metadata?.name}: ${errorText(err)}`));
  }

  async #setUnschedulable(pod: Pod, reason: string, message: string, nominatedNodeName: string | undefined): Promise<void> {
    const old = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const unchanged = old?.status === 'False' && old.reason === reason && old.message === message;
    if (unchanged && (nominatedNodeName === undefined || nominatedNodeName === pod.status?.nominatedNodeName)) return;
    const condition: PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      reason,
      message,
      lastTransitionTime: old?.status === 'False' && old.lastTransitionTime !== undefined ? old.lastTransitionTime : apiTime(this.#clock.now()),
    };
    const status: Record<string, unknown> = { conditions: [{ ...condition, lastProbeTime: null }] };
    if (nominatedNodeName !== undefined) status.nominatedNodeName = nominatedNodeName;
    await this.#client.patch(
      { ...PODS, namespace: pod.metadata?.namespace ?? '' },
      pod.metadata?.name ?? '',
      'strategic',
      { metadata: { uid: uidOf(pod) }, status },
      { subresource: 'status', signal: this.#abort.signal },
    );
  }

  #observe(result: AttemptResult, started: number): void {
    this.metrics.observeAttempt(result, this.schedulerName, (performance.now() - started) / 1000);
  }
}
