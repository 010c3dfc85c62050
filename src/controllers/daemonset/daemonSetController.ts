/**
 * The DaemonSet controller (upstream `daemonset`): for each set it claims its pods,
 * finds or writes the ControllerRevision of its template, makes each node have the pods
 * it should (./managePlan.ts: one per eligible node, pinned to it by node affinity for
 * the scheduler to bind), rolls pods to the new template (./rollingUpdate.ts, unless
 * OnDelete), trims the revision history and reports status. Node additions, label and
 * taint changes and removals requeue every set; expectations keep a lagging pod watch
 * from making it create or delete twice.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { isStatusReason } from '../../api/status.js';
import { EventRecorder, deletedObject, objectKey, splitKey } from '../../client/index.js';
import type { EventType } from '../../client/index.js';
import type { SharedInformer } from '../../client/index.js';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controller.js';
import { deleteRevisions, ensureUpdateRevision, hashOfRevision } from '../history/revisionWriter.js';
import { REVISION_HASH_LABEL, revisionsBeyondLimit, revisionsOwnedBy } from '../history/revisions.js';
import type { RevisionObject } from '../history/revisions.js';
import { Expectations } from '../replicaset/expectations.js';
import { claimPods, controllerRefOf } from '../replicaset/podOwnership.js';
import type { PodObject } from '../replicaset/podState.js';
import { isPodReady } from '../replicaset/podState.js';
import type { ReplicatedObject } from '../replicaset/replicaKinds.js';
import { slowStartBatch } from '../replicaset/slowStart.js';
import { WorkLoop } from '../workLoop.js';
import { daemonPodSpec, newDaemonPod } from './daemonPodTemplate.js';
import { DAEMON_SETS, DAEMON_SET_KIND, NODES, PODS, REVISIONS } from './daemonSetKind.js';
import type { DaemonSetObject, NodeObject } from './daemonSetKind.js';
import { computeDaemonStatus, daemonStatusChanged, daemonStatusPatch } from './daemonSetStatus.js';
import { FailedPodBackoff } from './failedPodBackoff.js';
import { planManage } from './managePlan.js';
import type { ManagePlan } from './managePlan.js';
import { groupByNode } from './nodePods.js';
import { planRollingUpdate } from './rollingUpdate.js';

/** Upstream `BurstReplicas` of the DaemonSet controller: at most this many creations per sync. */
const BURST_REPLICAS = 250;
const SLOW_START_INITIAL_BATCH = 1;

/** The DaemonSet controller; see the module comment. */
export class DaemonSetController implements Controller {
  readonly #context: ControllerContext;
  readonly #sets: SharedInformer<DaemonSetObject>;
  readonly #pods: SharedInformer<PodObject>;
  readonly #nodes: SharedInformer<NodeObject>;
  readonly #revisions: SharedInformer<RevisionObject>;
  /** Pod creations and deletions each set waits to observe (two records: upstream tracks both at once). */
  readonly #creations: Expectations;
  readonly #deletions: Expectations;
  readonly #events: EventRecorder;
  readonly #backoff: FailedPodBackoff;
  readonly #loop: WorkLoop;

  constructor(context: ControllerContext) {
    this.#context = context;
    this.#sets = context.informers.informerFor<DaemonSetObject>(DAEMON_SETS);
    this.#pods = context.informers.informerFor<PodObject>(PODS);
    this.#nodes = context.informers.informerFor<NodeObject>(NODES);
    this.#revisions = context.informers.informerFor<RevisionObject>(REVISIONS);
    this.#creations = new Expectations(context.clock);
    this.#deletions = new Expectations(context.clock);
    this.#backoff = new FailedPodBackoff(context.clock);
    this.#events = new EventRecorder(context.client, context.clock, { component: 'daemonset-controller' }, (err) =>
      context.log(`event not written: ${err instanceof Error ? err.message : String(err)}`),
    );
    this.#loop = new WorkLoop({
      clock: context.clock,
      informers: [this.#sets, this.#pods, this.#nodes, this.#revisions],
      sync: (key, signal) => this.sync(key, signal),
      log: context.log,
      workers: 2,
    });
    this.#sets.addEventHandler({
      onAdd: (ds) => this.#loop.enqueue(objectKey(ds)),
      onUpdate: (_old, ds) => this.#loop.enqueue(objectKey(ds)),
      onDelete: (gone) => {
        const key = objectKey(deletedObject(gone));
        this.#forget(key);
        this.#loop.enqueue(key);
      },
    });
    this.#pods.addEventHandler({
      onAdd: (pod) => this.#podAdded(pod),
      onUpdate: (old, pod) => this.#podUpdated(old, pod),
      onDelete: (gone) => this.#podDeleted(deletedObject(gone)),
    });
    this.#nodes.addEventHandler({
      onAdd: () => this.#enqueueAll(),
      onUpdate: (old, node) => {
        if (JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(node.metadata.labels ?? {}) || JSON.stringify(old.spec ?? {}) !== JSON.stringify(node.spec ?? {})) this.#enqueueAll();
      },
      onDelete: () => this.#enqueueAll(),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.#loop.run(signal);
  }

  /** Brings the set at `key` (`namespace/name`) one step towards its spec and writes its status. */
  async sync(key: string, signal?: AbortSignal): Promise<void> {
    const { namespace, name } = splitKey(key);
    const ds = this.#sets.lister.get(name, namespace);
    if (ds === undefined) {
      this.#forget(key);
      return;
    }
    let selector;
    try {
      selector = DAEMON_SET_KIND.selectorOf(ds as ReplicatedObject);
    } catch (err) {
      this.#context.log(`${key}: invalid selector: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const client = this.#context.client;
    const pods = await claimPods(
      { client, kind: DAEMON_SET_KIND, owner: ds as ReplicatedObject, selector, signal, canAdopt: () => this.#canAdopt(ds, signal) },
      this.#pods.lister.namespace(namespace ?? '').list(),
    );
    const controllerRef = this.#controllerRef(ds);
    const owned = revisionsOwnedBy(this.#revisions.lister.namespace(namespace ?? '').list(), ds.metadata.uid);
    const update = await ensureUpdateRevision(client, ds, controllerRef, owned, signal);
    const nodes = this.#nodes.lister.list();
    const grouped = groupByNode(nodes, pods, daemonPodSpec(ds));
    const now = this.#context.clock.now();
    let failure: { error: unknown } | undefined;
    if (this.#satisfied(key) && ds.metadata.deletionTimestamp === undefined) {
      try {
        const plan = planManage(ds, grouped, update.hash, now, (node) => this.#backoff.remainingMs(key, node));
        await this.#apply(key, ds, plan, update.hash, signal);
        if (plan.retryAfterMs !== undefined) this.#loop.enqueueAfter(key, plan.retryAfterMs);
        if (this.#satisfied(key) && (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
          await this.#apply(key, ds, planRollingUpdate(ds, grouped, update.hash, now), update.hash, signal);
        }
      } catch (err) {
        failure = { error: err };
      }
      const revisions = [...owned.filter((rev) => rev.metadata.name !== update.revision.metadata.name), update.revision];
      const liveHashes = new Set([update.hash, ...pods.map((pod) => pod.metadata.labels?.[REVISION_HASH_LABEL] ?? '')]);
      const live = new Set(revisions.filter((rev) => liveHashes.has(hashOfRevision(rev, name))).map((rev) => rev.metadata.name ?? ''));
      await deleteRevisions(client, revisionsBeyondLimit(revisions, live, ds.spec?.revisionHistoryLimit ?? 10), signal);
    }
    const status = computeDaemonStatus(ds, grouped, update.hash, update.collisionCount, now);
    if (daemonStatusChanged(ds, status)) {
      await client.patch({ ...DAEMON_SETS, namespace }, name, 'merge', daemonStatusPatch(status), { subresource: 'status', signal });
    }
    if (failure !== undefined) throw failure.error;
    const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && status.numberReady !== status.numberAvailable) this.#loop.enqueueAfter(key, minReadySeconds * 1000);
  }

  /** Creates pods on `plan.createOn` and deletes `plan.podsToDelete` (upstream `syncNodes`). */
  async #apply(key: string, ds: DaemonSetObject, plan: Pick<ManagePlan, 'createOn' | 'podsToDelete'> & Partial<Pick<ManagePlan, 'failed'>>, hash: string, signal?: AbortSignal): Promise<void> {
    for (const { pod, node } of plan.failed ?? []) {
      this.#backoff.next(key, node);
      this.#record(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${objectKey(pod)} on node ${node}, will try to kill it`);
    }
    const createOn = plan.createOn.slice(0, BURST_REPLICAS);
    if (createOn.length === 0 && plan.podsToDelete.length === 0) return;
    this.#creations.expectCreations(key, createOn.length);
    this.#deletions.expectDeletions(key, plan.podsToDelete.map(objectKey));
    const queue = [...createOn];
    const controllerRef = this.#controllerRef(ds);
    const created = await slowStartBatch(createOn.length, SLOW_START_INITIAL_BATCH, () => this.#createPod(key, ds, queue.shift() ?? '', hash, controllerRef, signal));
    for (let skipped = createOn.length - created.successes; skipped > 0; skipped--) this.#creations.creationObserved(key);
    const deleted = await Promise.allSettled(plan.podsToDelete.map((pod) => this.#deletePod(key, ds, pod, signal)));
    if (created.error !== undefined) throw created.error;
    const failed = deleted.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  async #createPod(key: string, ds: DaemonSetObject, nodeName: string, hash: string, controllerRef: OwnerReference, signal?: AbortSignal): Promise<void> {
    try {
      const pod = await this.#context.client.create<PodObject>({ ...PODS, namespace: ds.metadata.namespace }, newDaemonPod(ds, nodeName, hash, controllerRef), { signal });
      this.#record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`);
    } catch (err) {
      this.#creations.creationObserved(key);
      if (isStatusReason(err, 'Forbidden') && JSON.stringify(err).includes('NamespaceTerminating')) return;
      this.#record(ds, 'Warning', 'FailedCreate', `Error creating: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  async #deletePod(key: string, ds: DaemonSetObject, pod: PodObject, signal?: AbortSignal): Promise<void> {
    try {
      await this.#context.client.delete({ ...PODS, namespace: pod.metadata.namespace }, pod.metadata.name ?? '', { signal, preconditions: { uid: pod.metadata.uid ?? '' } });
      this.#record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name ?? ''}`);
    } catch (err) {
      this.#deletions.deletionObserved(key, objectKey(pod));
      if (isStatusReason(err, 'NotFound')) return;
      this.#record(ds, 'Warning', 'FailedDelete', `Error deleting: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  #record(ds: DaemonSetObject, type: EventType, reason: string, message: string): void {
    this.#events.record({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: ds.metadata }, type, reason, message);
  }

  #satisfied(key: string): boolean {
    return this.#creations.satisfied(key) && this.#deletions.satisfied(key);
  }

  #forget(key: string): void {
    this.#backoff.forget(key);
    this.#creations.forget(key);
    this.#deletions.forget(key);
  }

  #controllerRef(ds: DaemonSetObject): OwnerReference {
    return { apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name ?? '', uid: ds.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
  }

  async #canAdopt(ds: DaemonSetObject, signal?: AbortSignal): Promise<void> {
    const fresh = await this.#context.client.get<DaemonSetObject>({ ...DAEMON_SETS, namespace: ds.metadata.namespace }, ds.metadata.name ?? '', { signal });
    if (fresh.metadata.uid !== ds.metadata.uid) throw new Error(`original DaemonSet ${objectKey(ds)} is gone: got uid ${fresh.metadata.uid}, wanted ${ds.metadata.uid}`);
    if (fresh.metadata.deletionTimestamp !== undefined) throw new Error(`DaemonSet ${objectKey(ds)} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }

  #enqueueAll(): void {
    for (const ds of this.#sets.lister.list()) this.#loop.enqueue(objectKey(ds));
  }

  /** The key of the set controlling `pod`, if this informer knows it. */
  #controllerKey(pod: PodObject): string | undefined {
    const ref = controllerRefOf(pod);
    if (ref === undefined || ref.kind !== 'DaemonSet') return undefined;
    const ds = this.#sets.lister.get(ref.name, pod.metadata.namespace);
    return ds?.metadata.uid === ref.uid ? objectKey(ds) : undefined;
  }

  #enqueueAdopters(pod: PodObject): void {
    for (const ds of this.#sets.lister.namespace(pod.metadata.namespace ?? '').list()) {
      try {
        if (DAEMON_SET_KIND.selectorOf(ds as ReplicatedObject).matches(pod.metadata.labels ?? {})) this.#loop.enqueue(objectKey(ds));
      } catch {
        // A set with an invalid selector adopts nothing.
      }
    }
  }

  #podAdded(pod: PodObject): void {
    if (pod.metadata.deletionTimestamp !== undefined) {
      this.#podDeleted(pod);
      return;
    }
    const key = this.#controllerKey(pod);
    if (key === undefined) {
      if (controllerRefOf(pod) === undefined) this.#enqueueAdopters(pod);
      return;
    }
    this.#creations.creationObserved(key);
    this.#loop.enqueue(key);
  }

  #podUpdated(old: PodObject, pod: PodObject): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    if (pod.metadata.deletionTimestamp !== undefined && old.metadata.deletionTimestamp === undefined) this.#podDeleted(pod);
    const oldKey = this.#controllerKey(old);
    const key = this.#controllerKey(pod);
    if (oldKey !== undefined && oldKey !== key) this.#loop.enqueue(oldKey);
    if (key === undefined) {
      if (controllerRefOf(pod) === undefined) this.#enqueueAdopters(pod);
      return;
    }
    this.#loop.enqueue(key);
    const minReadySeconds = this.#sets.lister.get(splitKey(key).name, pod.metadata.namespace)?.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && !isPodReady(old) && isPodReady(pod)) this.#loop.enqueueAfter(key, minReadySeconds * 1000 + 1000);
  }

  #podDeleted(pod: PodObject): void {
    const key = this.#controllerKey(pod);
    if (key === undefined) return;
    this.#deletions.deletionObserved(key, objectKey(pod));
    this.#loop.enqueue(key);
  }
}

/** The DaemonSet controller as the manager builds it. */
export const daemonSetControllerDescriptor: ControllerDescriptor = {
  name: 'daemonset',
  create: (context) => new DaemonSetController(context),
};
