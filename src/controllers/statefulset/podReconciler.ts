/**
 * One pass of the StatefulSet algorithm over a set's pods (upstream
 * `updateStatefulSet`): pods for missing ordinals are created at the right revision,
 * failed or finished pods replaced, ordinals above the range deleted highest first,
 * and pods not at the update revision deleted for a rolling update (highest first, down
 * to the partition; with maxUnavailable, several at once). OrderedReady sets do one
 * step at a time and only while every lower ordinal is Running and Ready; Parallel sets
 * do every step at once.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { PodObject } from '../replicaset/podState.js';
import { hasFinished, isHealthy, isRunningAndAvailable, isRunningAndReady, isTerminating } from './podHealth.js';
import { endOrdinal, identityMatches, newStatefulPod, ordinalIn, podRevision, startOrdinal } from './statefulPod.js';
import type { StatefulPodControl } from './statefulPodControl.js';
import type { StatefulSetObject } from './statefulSetKind.js';
import type { StatusRevisions } from './statefulSetStatus.js';

/** What one pass works on. */
export interface ReconcileInput {
  set: StatefulSetObject;
  /** `set` with the template of its current revision. */
  currentSet: StatefulSetObject;
  revisions: StatusRevisions;
  /** The set's member pods (claimed, named `<set>-<ordinal>`). */
  pods: readonly PodObject[];
  controllerRef: OwnerReference;
  now: number;
  signal?: AbortSignal;
}

/** What one pass leaves behind. */
export interface ReconcileResult {
  /** The member pods after the pass: created ones added, deleted ones marked terminating. */
  pods: PodObject[];
  /** Set when a pod must be looked at again once minReadySeconds have passed. */
  recheckAfterMs?: number;
}

const MARKED_DELETED = '1970-01-01T00:00:00Z';

/** The number a `maxUnavailable` (count or percentage) allows out of `replicas`: at least one. */
export function scaledMaxUnavailable(value: number | string | undefined, replicas: number): number {
  let scaled = 1;
  if (typeof value === 'number') scaled = value;
  else if (typeof value === 'string' && value.endsWith('%')) scaled = Math.floor((Number(value.slice(0, -1)) * replicas) / 100);
  else if (typeof value === 'string') scaled = Number(value);
  return Number.isFinite(scaled) && scaled >= 1 ? scaled : 1;
}

/** Runs one pass; see the module comment. Throws the first failed write (after a Parallel pass tried all). */
export async function reconcilePods(control: StatefulPodControl, input: ReconcileInput): Promise<ReconcileResult> {
  return new PodReconciler(control, input).run();
}

class PodReconciler {
  readonly #control: StatefulPodControl;
  readonly #in: ReconcileInput;
  readonly #start: number;
  readonly #replicas: (PodObject | undefined)[];
  readonly #condemned: PodObject[] = [];
  readonly #result: PodObject[];
  readonly #monotonic: boolean;
  readonly #minReadySeconds: number;
  #recheckAfterMs: number | undefined;

  constructor(control: StatefulPodControl, input: ReconcileInput) {
    this.#control = control;
    this.#in = input;
    const { set } = input;
    this.#start = startOrdinal(set);
    const end = endOrdinal(set);
    this.#replicas = Array.from({ length: Math.max(0, end - this.#start) }, () => undefined);
    for (const pod of input.pods) {
      const ordinal = ordinalIn(set, pod);
      if (ordinal === undefined) continue;
      if (ordinal >= this.#start && ordinal < end) this.#replicas[ordinal - this.#start] ??= pod;
      else this.#condemned.push(pod);
    }
    this.#condemned.sort((a, b) => (ordinalIn(set, b) ?? 0) - (ordinalIn(set, a) ?? 0));
    this.#result = [...input.pods];
    this.#monotonic = set.spec?.podManagementPolicy !== 'Parallel';
    this.#minReadySeconds = set.spec?.minReadySeconds ?? 0;
  }

  async run(): Promise<ReconcileResult> {
    await this.#steps();
    return this.#recheckAfterMs === undefined ? { pods: this.#result } : { pods: this.#result, recheckAfterMs: this.#recheckAfterMs };
  }

  async #steps(): Promise<void> {
    const { set } = this.#in;
    const firstUnhealthy = this.#firstUnhealthy();
    if (set.metadata.deletionTimestamp !== undefined) return;
    if (!(await this.#forEach(this.#condemned, (pod) => this.#fixCondemnedClaims(pod)))) return;
    if (!(await this.#forEach(this.#replicas.map((_, i) => i), (i) => this.#processReplica(i)))) return;
    if (!(await this.#forEach(this.#condemned, (pod) => this.#processCondemned(pod, firstUnhealthy)))) return;
    const strategy = set.spec?.updateStrategy;
    if (strategy?.type === 'OnDelete') return;
    if (strategy?.rollingUpdate?.maxUnavailable !== undefined) await this.#rollWithMaxUnavailable();
    else await this.#rollOneAtATime();
  }

  /**
   * Runs `step` over `items`: in order, stopping at the first that asks to stop, for an
   * OrderedReady set; every one for a Parallel set. False when the pass must end here.
   */
  async #forEach<T>(items: readonly T[], step: (item: T) => Promise<boolean>): Promise<boolean> {
    let failure: { error: unknown } | undefined;
    for (const item of items) {
      try {
        if ((await step(item)) && this.#monotonic) return false;
      } catch (err) {
        if (this.#monotonic) throw err;
        failure ??= { error: err };
      }
    }
    if (failure !== undefined) throw failure.error;
    return true;
  }

  #firstUnhealthy(): PodObject | undefined {
    for (const pod of this.#replicas) if (pod === undefined || !isHealthy(pod)) return pod;
    for (let i = this.#condemned.length - 1; i >= 0; i--) {
      const pod = this.#condemned[i];
      if (pod !== undefined && !isHealthy(pod)) return pod;
    }
    return undefined;
  }

  #ordinal(pod: PodObject): number {
    return ordinalIn(this.#in.set, pod) ?? 0;
  }

  #markDeleted(pod: PodObject): void {
    const index = this.#result.indexOf(pod);
    const marked = { ...pod, metadata: { ...pod.metadata, deletionTimestamp: MARKED_DELETED } };
    if (index >= 0) this.#result[index] = marked;
    const replica = this.#replicas.indexOf(pod);
    if (replica >= 0) this.#replicas[replica] = marked;
  }

  /** The pod for replica `index` at the revision its ordinal gets (upstream `newVersionedStatefulSetPod`). */
  #versionedPod(index: number): PodObject {
    const { set, currentSet, revisions, controllerRef } = this.#in;
    const ordinal = this.#start + index;
    const strategy = currentSet.spec?.updateStrategy;
    const rolling = (strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    const belowPartition = strategy?.rollingUpdate !== undefined && ordinal < this.#start + (strategy.rollingUpdate.partition ?? 0);
    const unupdated = rolling && strategy?.rollingUpdate === undefined && ordinal < this.#start + (currentSet.status?.currentReplicas ?? 0);
    if (belowPartition || unupdated) return newStatefulPod(currentSet, ordinal, revisions.currentRevision, controllerRef);
    return newStatefulPod(set, ordinal, revisions.updateRevision, controllerRef);
  }

  async #fixCondemnedClaims(pod: PodObject): Promise<boolean> {
    const { set, signal } = this.#in;
    if (this.#control.claimOwnersNeedFix(set, pod, this.#ordinal(pod), true)) await this.#control.fixClaimOwners(set, pod, this.#ordinal(pod), true, signal);
    return false;
  }

  /** Upstream `processReplica`: true when an OrderedReady set must wait. */
  async #processReplica(index: number): Promise<boolean> {
    const { set, signal, now } = this.#in;
    const pod = this.#replicas[index];
    const ordinal = this.#start + index;
    if (pod !== undefined && hasFinished(pod)) {
      if (!isTerminating(pod)) {
        await this.#control.deletePod(set, pod, signal);
        this.#markDeleted(pod);
      }
      return true;
    }
    if (pod === undefined) {
      const wanted = this.#versionedPod(index);
      if (this.#control.claimIsStale(set, ordinal, wanted.metadata.name ?? '')) return true;
      const created = await this.#control.createPod(set, wanted, ordinal, signal);
      this.#replicas[index] = created;
      this.#result.push(created);
      return true;
    }
    if (pod.status?.phase === 'Pending') await this.#control.createClaims(set, pod, ordinal, signal);
    if (this.#monotonic && (isTerminating(pod) || !isRunningAndReady(pod))) return true;
    if (this.#monotonic && !isRunningAndAvailable(pod, this.#minReadySeconds, now)) {
      this.#recheckAfterMs = this.#minReadySeconds * 1000;
      return true;
    }
    if (this.#control.claimOwnersNeedFix(set, pod, ordinal, false)) await this.#control.fixClaimOwners(set, pod, ordinal, false, signal);
    if (!identityMatches(set, pod)) await this.#control.fixIdentity(set, pod, signal);
    return false;
  }

  /** Upstream `processCondemned`: deletes a pod above the range; true when an OrderedReady set must wait. */
  async #processCondemned(pod: PodObject, firstUnhealthy: PodObject | undefined): Promise<boolean> {
    const { set, signal, now } = this.#in;
    if (isTerminating(pod)) return true;
    const blocking = pod !== firstUnhealthy && (!isRunningAndReady(pod) || !isRunningAndAvailable(pod, this.#minReadySeconds, now));
    if (blocking && this.#monotonic) return true;
    await this.#control.deletePod(set, pod, signal);
    this.#markDeleted(pod);
    return true;
  }

  #partition(): number {
    return this.#in.set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  }

  /** The classic rolling update: the highest pod not at the update revision goes, once all above it are healthy. */
  async #rollOneAtATime(): Promise<void> {
    const { set, revisions, signal } = this.#in;
    for (let target = this.#replicas.length - 1; target >= this.#partition(); target--) {
      const pod = this.#replicas[target];
      if (pod === undefined) return;
      if (podRevision(pod) !== revisions.updateRevision && !isTerminating(pod)) {
        await this.#control.deletePod(set, pod, signal);
        this.#markDeleted(pod);
        return;
      }
      if (!isHealthy(pod)) return;
    }
  }

  /** The maxUnavailable rolling update: as many outdated pods go, highest first, as leave at most maxUnavailable unhealthy. */
  async #rollWithMaxUnavailable(): Promise<void> {
    const { set, revisions, signal } = this.#in;
    const maxUnavailable = scaledMaxUnavailable(set.spec?.updateStrategy?.rollingUpdate?.maxUnavailable, set.spec?.replicas ?? 1);
    const unavailable = this.#replicas.filter((pod) => pod === undefined || !isHealthy(pod)).length;
    let budget = maxUnavailable - unavailable;
    for (let target = this.#replicas.length - 1; target >= this.#partition() && budget > 0; target--) {
      const pod = this.#replicas[target];
      if (pod === undefined || podRevision(pod) === revisions.updateRevision || isTerminating(pod)) continue;
      await this.#control.deletePod(set, pod, signal);
      this.#markDeleted(pod);
      budget--;
    }
  }
}
