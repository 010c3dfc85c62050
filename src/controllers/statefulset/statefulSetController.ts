/**
 * The StatefulSet controller (upstream `statefulset`): for each set it claims its pods
 * (adopting orphans named `<set>-<ordinal>` its selector matches, releasing pods that
 * stop matching), finds or writes the ControllerRevision of its template, runs one pass
 * of the ordered pod algorithm (./podReconciler.ts), reports status and trims the
 * revision history to revisionHistoryLimit. Pod and claim changes requeue the set.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { EventRecorder, deletedObject, objectKey, splitKey } from '../../client/index.js';
import type { SharedInformer } from '../../client/index.js';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controller.js';
import { ensureUpdateRevision, deleteRevisions } from '../history/revisionWriter.js';
import { revisionsBeyondLimit, revisionsOwnedBy } from '../history/revisions.js';
import type { RevisionObject } from '../history/revisions.js';
import { templateOfPatch } from '../history/templatePatch.js';
import { claimPods, controllerRefOf } from '../replicaset/podOwnership.js';
import type { PodObject } from '../replicaset/podState.js';
import { isPodReady } from '../replicaset/podState.js';
import type { ReplicatedObject } from '../replicaset/replicaKinds.js';
import { WorkLoop } from '../workLoop.js';
import { reconcilePods } from './podReconciler.js';
import type { ReconcileResult } from './podReconciler.js';
import { ordinalIn, podRevision } from './statefulPod.js';
import type { ClaimObject } from './statefulPod.js';
import { StatefulPodControl } from './statefulPodControl.js';
import { CLAIMS, PODS, REVISIONS, STATEFUL_SETS, STATEFUL_SET_KIND } from './statefulSetKind.js';
import type { StatefulSetObject } from './statefulSetKind.js';
import { computeStatus, statusChanged, statusPatch } from './statefulSetStatus.js';

/** The StatefulSet controller; see the module comment. */
export class StatefulSetController implements Controller {
  readonly #context: ControllerContext;
  readonly #sets: SharedInformer<StatefulSetObject>;
  readonly #pods: SharedInformer<PodObject>;
  readonly #claims: SharedInformer<ClaimObject>;
  readonly #revisions: SharedInformer<RevisionObject>;
  readonly #control: StatefulPodControl;
  readonly #loop: WorkLoop;

  constructor(context: ControllerContext) {
    this.#context = context;
    this.#sets = context.informers.informerFor<StatefulSetObject>(STATEFUL_SETS);
    this.#pods = context.informers.informerFor<PodObject>(PODS);
    this.#claims = context.informers.informerFor<ClaimObject>(CLAIMS);
    this.#revisions = context.informers.informerFor<RevisionObject>(REVISIONS);
    const events = new EventRecorder(context.client, context.clock, { component: 'statefulset-controller' }, (err) =>
      context.log(`event not written: ${err instanceof Error ? err.message : String(err)}`),
    );
    this.#control = new StatefulPodControl(context.client, events, this.#claims.lister);
    this.#loop = new WorkLoop({
      clock: context.clock,
      informers: [this.#sets, this.#pods, this.#claims, this.#revisions],
      sync: (key, signal) => this.sync(key, signal),
      log: context.log,
      workers: 5,
    });
    this.#sets.addEventHandler({
      onAdd: (set) => this.#loop.enqueue(objectKey(set)),
      onUpdate: (_old, set) => this.#loop.enqueue(objectKey(set)),
      onDelete: (gone) => this.#loop.enqueue(objectKey(deletedObject(gone))),
    });
    this.#pods.addEventHandler({
      onAdd: (pod) => this.#podChanged(pod),
      onUpdate: (old, pod) => this.#podUpdated(old, pod),
      onDelete: (gone) => this.#podChanged(deletedObject(gone)),
    });
    this.#claims.addEventHandler({
      onDelete: (gone) => this.#enqueueNamespace(deletedObject(gone).metadata.namespace),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.#loop.run(signal);
  }

  /** Brings the set at `key` (`namespace/name`) one step towards its spec and writes its status. */
  async sync(key: string, signal?: AbortSignal): Promise<void> {
    const { namespace, name } = splitKey(key);
    const set = this.#sets.lister.get(name, namespace);
    if (set === undefined) return;
    let selector;
    try {
      selector = STATEFUL_SET_KIND.selectorOf(set as ReplicatedObject);
    } catch (err) {
      this.#context.log(`${key}: invalid selector: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const client = this.#context.client;
    const candidates = this.#pods.lister
      .namespace(namespace ?? '')
      .list()
      .filter((pod) => controllerRefOf(pod) !== undefined || ordinalIn(set, pod) !== undefined);
    const claimed = await claimPods(
      { client, kind: STATEFUL_SET_KIND, owner: set as ReplicatedObject, selector, signal, canAdopt: () => this.#canAdopt(set, signal) },
      candidates,
    );
    const members = claimed.filter((pod) => ordinalIn(set, pod) !== undefined);
    const controllerRef = this.#controllerRef(set);
    const owned = revisionsOwnedBy(this.#revisions.lister.namespace(namespace ?? '').list(), set.metadata.uid);
    const update = await ensureUpdateRevision(client, set, controllerRef, owned, signal);
    const revisions = [...owned.filter((rev) => rev.metadata.name !== update.revision.metadata.name), update.revision];
    const current = revisions.find((rev) => rev.metadata.name === set.status?.currentRevision) ?? update.revision;
    const currentSet: StatefulSetObject = { ...set, spec: { ...set.spec!, template: templateOfPatch(current.data) ?? set.spec!.template } };
    const names = { currentRevision: current.metadata.name ?? '', updateRevision: update.revision.metadata.name ?? '', collisionCount: update.collisionCount };
    const now = this.#context.clock.now();
    let result: ReconcileResult = { pods: members };
    let failure: { error: unknown } | undefined;
    try {
      result = await reconcilePods(this.#control, { set, currentSet, revisions: names, pods: members, controllerRef, now, signal });
    } catch (err) {
      failure = { error: err };
    }
    const status = computeStatus(set, result.pods, names, now);
    if (statusChanged(set, status)) {
      await client.patch({ ...STATEFUL_SETS, namespace }, name, 'merge', statusPatch(status), { subresource: 'status', signal });
    }
    const live = new Set([status.currentRevision ?? '', status.updateRevision ?? '', ...result.pods.map(podRevision)]);
    await deleteRevisions(client, revisionsBeyondLimit(revisions, live, set.spec?.revisionHistoryLimit ?? 10), signal);
    if (failure !== undefined) throw failure.error;
    if (result.recheckAfterMs !== undefined) this.#loop.enqueueAfter(key, result.recheckAfterMs);
    const minReadySeconds = set.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && status.availableReplicas !== status.readyReplicas) this.#loop.enqueueAfter(key, minReadySeconds * 1000);
  }

  #controllerRef(set: StatefulSetObject): OwnerReference {
    return { apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name ?? '', uid: set.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
  }

  async #canAdopt(set: StatefulSetObject, signal?: AbortSignal): Promise<void> {
    const fresh = await this.#context.client.get<StatefulSetObject>({ ...STATEFUL_SETS, namespace: set.metadata.namespace }, set.metadata.name ?? '', { signal });
    if (fresh.metadata.uid !== set.metadata.uid) throw new Error(`original StatefulSet ${objectKey(set)} is gone: got uid ${fresh.metadata.uid}, wanted ${set.metadata.uid}`);
    if (fresh.metadata.deletionTimestamp !== undefined) throw new Error(`StatefulSet ${objectKey(set)} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }

  /** The key of the set controlling `pod`, if this informer knows it. */
  #controllerKey(pod: PodObject): string | undefined {
    const ref = controllerRefOf(pod);
    if (ref === undefined || ref.kind !== 'StatefulSet') return undefined;
    const set = this.#sets.lister.get(ref.name, pod.metadata.namespace);
    return set?.metadata.uid === ref.uid ? objectKey(set) : undefined;
  }

  #enqueueNamespace(namespace: string | undefined): void {
    for (const set of this.#sets.lister.namespace(namespace ?? '').list()) this.#loop.enqueue(objectKey(set));
  }

  #enqueueAdopters(pod: PodObject): void {
    for (const set of this.#sets.lister.namespace(pod.metadata.namespace ?? '').list()) {
      if (ordinalIn(set, pod) === undefined) continue;
      try {
        if (STATEFUL_SET_KIND.selectorOf(set as ReplicatedObject).matches(pod.metadata.labels ?? {})) this.#loop.enqueue(objectKey(set));
      } catch {
        // A set with an invalid selector adopts nothing.
      }
    }
  }

  #podChanged(pod: PodObject): void {
    const key = this.#controllerKey(pod);
    if (key !== undefined) this.#loop.enqueue(key);
    else if (controllerRefOf(pod) === undefined) this.#enqueueAdopters(pod);
  }

  #podUpdated(old: PodObject, pod: PodObject): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    const oldKey = this.#controllerKey(old);
    if (oldKey !== undefined && oldKey !== this.#controllerKey(pod)) this.#loop.enqueue(oldKey);
    this.#podChanged(pod);
    const key = this.#controllerKey(pod);
    if (key === undefined || isPodReady(old) || !isPodReady(pod)) return;
    const minReadySeconds = this.#sets.lister.get(splitKey(key).name, pod.metadata.namespace)?.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0) this.#loop.enqueueAfter(key, minReadySeconds * 1000 + 1000);
  }
}

/** The StatefulSet controller as the manager builds it. */
export const statefulSetControllerDescriptor: ControllerDescriptor = {
  name: 'statefulset',
  create: (context) => new StatefulSetController(context),
};
