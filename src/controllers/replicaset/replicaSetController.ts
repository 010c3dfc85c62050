/**
 * The ReplicaSet and ReplicationController controllers (upstream `replicaset` and
 * `replicationcontroller`): each keeps `spec.replicas` active pods from its template.
 * A sync claims the namespace's active pods (adopt matching orphans, release owned
 * pods that stopped matching), creates missing pods in slow-start batches or deletes
 * the extra ones in upstream's ranking, and reports status. Expectations keep it from
 * acting twice on changes its informer has not shown yet.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isStatusReason } from '../../api/status.js';
import { EventRecorder, deletedObject, objectKey, splitKey } from '../../client/index.js';
import type { EventType, SharedInformer } from '../../client/index.js';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controller.js';
import { WorkLoop } from '../workLoop.js';
import { podsToDelete } from './deletionRanking.js';
import { Expectations } from './expectations.js';
import { claimPods, controllerRefOf, ownerReferenceFor } from './podOwnership.js';
import type { PodObject } from './podState.js';
import { isPodActive, isPodReady } from './podState.js';
import { REPLICATION_CONTROLLER, REPLICA_SET } from './replicaKinds.js';
import type { ReplicaKind, ReplicatedObject } from './replicaKinds.js';
import { calculateStatus, statusChanged } from './replicaStatus.js';
import { slowStartBatch } from './slowStart.js';

/** Upstream `BurstReplicas`: at most this many creations or deletions per sync. */
export const BURST_REPLICAS = 500;
/** Upstream `SlowStartInitialBatchSize`. */
const SLOW_START_INITIAL_BATCH = 1;
const PODS = { group: '', version: 'v1', resource: 'pods' };

/** The replica controller for one kind; see the module comment. */
export class ReplicaSetController implements Controller {
  readonly #kind: ReplicaKind;
  readonly #context: ControllerContext;
  readonly #owners: SharedInformer<ReplicatedObject>;
  readonly #pods: SharedInformer<PodObject>;
  readonly #expectations: Expectations;
  readonly #loop: WorkLoop;
  readonly #events: EventRecorder;

  constructor(context: ControllerContext, kind: ReplicaKind) {
    this.#kind = kind;
    this.#context = context;
    this.#events = new EventRecorder(context.client, context.clock, { component: `${kind.controllerName}-controller` }, (err) =>
      context.log(`event: ${err instanceof Error ? err.message : String(err)}`),
    );
    this.#owners = context.informers.informerFor<ReplicatedObject>(kind.target);
    this.#pods = context.informers.informerFor<PodObject>(PODS);
    this.#expectations = new Expectations(context.clock);
    this.#loop = new WorkLoop({
      clock: context.clock,
      informers: [this.#owners, this.#pods],
      sync: (key, signal) => this.sync(key, signal),
      log: context.log,
      workers: 5,
    });
    this.#owners.addEventHandler({
      onAdd: (owner) => this.#loop.enqueue(objectKey(owner)),
      onUpdate: (_old, owner) => this.#loop.enqueue(objectKey(owner)),
      onDelete: (gone) => {
        const key = objectKey(deletedObject(gone));
        this.#expectations.forget(key);
        this.#loop.enqueue(key);
      },
    });
    this.#pods.addEventHandler({
      onAdd: (pod) => this.#podAdded(pod),
      onUpdate: (old, pod) => this.#podUpdated(old, pod),
      onDelete: (gone) => this.#podDeleted(deletedObject(gone)),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.#loop.run(signal);
  }

  /** Brings the owner at `key` (`namespace/name`) to its wanted pods and writes its status. */
  async sync(key: string, signal?: AbortSignal): Promise<void> {
    const { namespace, name } = splitKey(key);
    const owner = this.#owners.lister.get(name, namespace);
    if (owner === undefined) {
      this.#expectations.forget(key);
      return;
    }
    const needsSync = this.#expectations.satisfied(key);
    let selector;
    try {
      selector = this.#kind.selectorOf(owner);
    } catch (err) {
      this.#context.log(`${key}: invalid selector: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const active = this.#pods.lister.namespace(namespace ?? '').list().filter(isPodActive);
    const client = this.#context.client;
    const pods = await claimPods(
      { client, kind: this.#kind, owner, selector, signal, canAdopt: () => this.#canAdopt(owner, signal) },
      active,
    );
    let manageError: unknown;
    if (needsSync && owner.metadata.deletionTimestamp === undefined) {
      try {
        await this.#manageReplicas(key, owner, pods, signal);
      } catch (err) {
        manageError = err;
      }
    }
    const now = this.#context.clock.now();
    const status = calculateStatus(owner, pods, manageError, now);
    if (statusChanged(owner, status)) {
      await client.patch({ ...this.#kind.target, namespace }, name, 'merge', { status: { conditions: null, ...status } }, { subresource: 'status', signal });
    }
    const minReadySeconds = owner.spec?.minReadySeconds ?? 0;
    if (manageError === undefined && minReadySeconds > 0 && status.readyReplicas === status.replicas && status.availableReplicas !== status.replicas) {
      this.#loop.enqueueAfter(key, minReadySeconds * 1000);
    }
    if (manageError !== undefined) throw manageError;
  }

  async #canAdopt(owner: ReplicatedObject, signal?: AbortSignal): Promise<void> {
    const fresh = await this.#context.client.get<ReplicatedObject>({ ...this.#kind.target, namespace: owner.metadata.namespace }, owner.metadata.name ?? '', { signal });
    if (fresh.metadata.uid !== owner.metadata.uid) throw new Error(`original ${this.#kind.kind} ${objectKey(owner)} is gone: got uid ${fresh.metadata.uid}, wanted ${owner.metadata.uid}`);
    if (fresh.metadata.deletionTimestamp !== undefined) throw new Error(`${this.#kind.kind} ${objectKey(owner)} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }

  async #manageReplicas(key: string, owner: ReplicatedObject, pods: readonly PodObject[], signal?: AbortSignal): Promise<void> {
    const diff = pods.length - (owner.spec?.replicas ?? 1);
    if (diff < 0) {
      const wanted = Math.min(-diff, BURST_REPLICAS);
      this.#expectations.expectCreations(key, wanted);
      const result = await slowStartBatch(wanted, SLOW_START_INITIAL_BATCH, () => this.#createPod(key, owner, signal));
      for (let skipped = wanted - result.successes; skipped > 0; skipped--) this.#expectations.creationObserved(key);
      if (result.error !== undefined) throw result.error;
    } else if (diff > 0) {
      const victims = podsToDelete(pods, Math.min(diff, BURST_REPLICAS));
      this.#expectations.expectDeletions(key, victims.map(objectKey));
      const results = await Promise.allSettled(victims.map((pod) => this.#deletePod(key, owner, pod, signal)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    }
  }

  async #createPod(key: string, owner: ReplicatedObject, signal?: AbortSignal): Promise<void> {
    const template = owner.spec?.template ?? {};
    const metadata: PodObject['metadata'] = {
      generateName: `${owner.metadata.name}-`,
      labels: { ...template.metadata?.labels },
      annotations: { ...template.metadata?.annotations },
      ownerReferences: [ownerReferenceFor(this.#kind, owner)],
    };
    if (template.metadata?.finalizers !== undefined) metadata.finalizers = [...template.metadata.finalizers];
    const pod: PodObject = { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(template.spec) as Pod['spec'] };
    try {
      const created = await this.#context.client.create({ ...PODS, namespace: owner.metadata.namespace }, pod, { signal });
      this.#event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
    } catch (err) {
      this.#expectations.creationObserved(key);
      // Pods cannot be created in a namespace being deleted; that is no failure.
      if (isStatusReason(err, 'Forbidden') && JSON.stringify(err).includes('NamespaceTerminating')) return;
      this.#event(owner, 'Warning', 'FailedCreate', `Error creating: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  async #deletePod(key: string, owner: ReplicatedObject, pod: PodObject, signal?: AbortSignal): Promise<void> {
    try {
      await this.#context.client.delete({ ...PODS, namespace: pod.metadata.namespace }, pod.metadata.name ?? '', { signal });
      this.#event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name ?? ''}`);
    } catch (err) {
      this.#expectations.deletionObserved(key, objectKey(pod));
      if (isStatusReason(err, 'NotFound')) return;
      this.#event(owner, 'Warning', 'FailedDelete', `Error deleting: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  #event(owner: ReplicatedObject, type: EventType, reason: string, message: string): void {
    this.#events.record({ apiVersion: this.#kind.apiVersion, kind: this.#kind.kind, metadata: owner.metadata }, type, reason, message);
  }

  /** The key of the owner of this kind that controls `pod`, if it is one this informer knows. */
  #controllerKey(pod: PodObject): string | undefined {
    const ref = controllerRefOf(pod);
    if (ref === undefined || ref.kind !== this.#kind.kind) return undefined;
    const owner = this.#owners.lister.get(ref.name, pod.metadata.namespace);
    return owner?.metadata.uid === ref.uid ? objectKey(owner) : undefined;
  }

  #enqueueMatchingOwners(pod: PodObject): void {
    for (const owner of this.#owners.lister.namespace(pod.metadata.namespace ?? '').list()) {
      try {
        if (this.#kind.selectorOf(owner).matches(pod.metadata.labels ?? {})) this.#loop.enqueue(objectKey(owner));
      } catch {
        // An owner with an invalid selector matches nothing.
      }
    }
  }

  #podAdded(pod: PodObject): void {
    if (pod.metadata.deletionTimestamp !== undefined) {
      this.#podDeleted(pod);
      return;
    }
    if (controllerRefOf(pod) === undefined) {
      this.#enqueueMatchingOwners(pod);
      return;
    }
    const key = this.#controllerKey(pod);
    if (key === undefined) return;
    this.#expectations.creationObserved(key);
    this.#loop.enqueue(key);
  }

  #podUpdated(old: PodObject, pod: PodObject): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    if (pod.metadata.deletionTimestamp !== undefined && old.metadata.deletionTimestamp === undefined) {
      // A graceful deletion started: count it as the deletion the owner waits for.
      this.#podDeleted(pod);
      const oldKey = this.#controllerKey(old);
      if (oldKey !== undefined && oldKey !== this.#controllerKey(pod)) this.#loop.enqueue(oldKey);
      return;
    }
    const oldKey = this.#controllerKey(old);
    const key = this.#controllerKey(pod);
    if (oldKey !== undefined && oldKey !== key) this.#loop.enqueue(oldKey);
    if (key !== undefined) {
      this.#loop.enqueue(key);
      const minReadySeconds = this.#owners.lister.get(splitKey(key).name, pod.metadata.namespace)?.spec?.minReadySeconds ?? 0;
      if (minReadySeconds > 0 && !isPodReady(old) && isPodReady(pod)) this.#loop.enqueueAfter(key, minReadySeconds * 1000 + 1000);
      return;
    }
    if (controllerRefOf(pod) === undefined) this.#enqueueMatchingOwners(pod);
  }

  #podDeleted(pod: PodObject): void {
    const key = this.#controllerKey(pod);
    if (key === undefined) return;
    this.#expectations.deletionObserved(key, objectKey(pod));
    this.#loop.enqueue(key);
  }
}

/** The ReplicaSet controller as the manager builds it. */
export const replicaSetControllerDescriptor: ControllerDescriptor = {
  name: REPLICA_SET.controllerName,
  create: (context) => new ReplicaSetController(context, REPLICA_SET),
};

/** The ReplicationController controller as the manager builds it. */
export const replicationControllerDescriptor: ControllerDescriptor = {
  name: REPLICATION_CONTROLLER.controllerName,
  create: (context) => new ReplicaSetController(context, REPLICATION_CONTROLLER),
};
