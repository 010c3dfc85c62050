/**
 * The Job controller (upstream `job`): runs a Job's pods to completion. Each sync
 * claims the Job's pods, counts the ones that finished since the last count through
 * `status.uncountedTerminatedPods` and the pods' tracking finalizer (a pod's uid is
 * written to status before its finalizer goes, and the counters grow only once the
 * finalizer is gone, so no pod is ever counted twice), decides whether the Job
 * succeeded or failed (backoffLimit, backoffLimitPerIndex, podFailurePolicy,
 * activeDeadlineSeconds, successPolicy), and otherwise creates or deletes pods
 * towards parallelism and completions, honouring suspend and the pod-failure backoff.
 * Finished Jobs get SuccessCriteriaMet/FailureTarget first and Complete/Failed once
 * none of their pods is terminating, as upstream 1.32 does.
 */
import type { JobCondition, JobStatus } from 'kubernetes-types/batch/v1.js';
import { labelSelectorFromObject } from '../../api/selectors/labelSelector.js';
import { isStatusReason } from '../../api/status.js';
import { EventRecorder, deletedObject, objectKey, splitKey } from '../../client/index.js';
import type { SharedInformer } from '../../client/index.js';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controller.js';
import { podsToDelete } from '../replicaset/deletionRanking.js';
import { Expectations } from '../replicaset/expectations.js';
import { slowStartBatch } from '../replicaset/slowStart.js';
import { WorkLoop } from '../workLoop.js';
import { FinalizerExpectations } from './finalizerExpectations.js';
import { firstPendingIndexes, formatIntervals, hasIndex, totalOf, withIndexes, type Interval } from './intervals.js';
import {
  BACKOFF_LIMIT_EXCEEDED,
  COMPLETIONS_REACHED,
  DEADLINE_EXCEEDED,
  FAILED_INDEXES,
  MAX_FAILED_INDEXES_EXCEEDED,
  ensureCondition,
  findCondition,
  isJobFinished,
  newCondition,
} from './jobConditions.js';
import {
  failJobMessage,
  failedIndexes,
  hasValidIndex,
  isIndexedJob,
  lastFailedPodPerIndex,
  newFinishedPods,
  pastBackoffLimitOnFailure,
  succeededIndexes,
} from './jobCounting.js';
import { claimJobPods, controllerRefOf } from './jobPodClaims.js';
import { podForJob, type IndexFailures } from './jobPodTemplate.js';
import {
  JOB_TRACKING_FINALIZER,
  completionIndexOf,
  finishedTimeOf,
  hasTrackingFinalizer,
  indexFailureCountOf,
  indexIgnoredFailureCountOf,
  isPodActive,
  isPodFailed,
  isPodReady,
  isPodTerminating,
  onlyReplaceFailedPods,
  type JobObject,
  type PodObject,
} from './jobPods.js';
import { matchPodFailurePolicy } from './podFailurePolicy.js';
import { nextBackoffRecord, remainingBackoffMs, type BackoffRecord } from './podBackoff.js';
import { matchSuccessPolicy } from './successPolicy.js';

/** Upstream `MaxPodCreateDeletePerSync`. */
const MAX_POD_CHANGES_PER_SYNC = 500;
/** Upstream `MaxUncountedPods`: at most this many uids wait in status at a time. */
const MAX_UNCOUNTED_PODS = 500;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const JOBS = { group: 'batch', version: 'v1', resource: 'jobs' };

/** Everything one sync works with; the Job is a private copy whose status the sync rewrites. */
interface SyncState {
  key: string;
  job: JobObject;
  pods: PodObject[];
  active: PodObject[];
  activeCount: number;
  ready: number;
  terminating: number;
  uncounted: { succeeded: Set<string>; failed: Set<string> };
  releasing: ReadonlySet<string>;
  succeeded: number;
  failed: number;
  finished?: JobCondition;
  previousSucceededIndexes: Interval[];
  succeededIndexes: Interval[];
  failedIndexes?: Interval[];
  lastFailedPerIndex: Map<number, PodObject>;
  backoff: BackoffRecord;
}

const uidOf = (pod: PodObject): string => pod.metadata.uid ?? '';

function statusOf(job: JobObject): JobStatus {
  const status = (job.status ??= {}) as JobStatus;
  status.uncountedTerminatedPods ??= {};
  return status;
}

function isSuspended(job: JobObject): boolean {
  return job.spec?.suspend === true;
}

/** The Job controller; see the module comment. */
export class JobController implements Controller {
  readonly #context: ControllerContext;
  readonly #jobs: SharedInformer<JobObject>;
  readonly #pods: SharedInformer<PodObject>;
  readonly #expectations: Expectations;
  readonly #finalizerExpectations = new FinalizerExpectations();
  readonly #backoffs = new Map<string, BackoffRecord>();
  readonly #events: EventRecorder;
  readonly #loop: WorkLoop;
  readonly #orphans: WorkLoop;

  constructor(context: ControllerContext) {
    this.#context = context;
    this.#jobs = context.informers.informerFor<JobObject>(JOBS);
    this.#pods = context.informers.informerFor<PodObject>(PODS);
    this.#expectations = new Expectations(context.clock);
    this.#events = new EventRecorder(context.client, context.clock, { component: 'job-controller' }, (err) => context.log(`event: ${String(err)}`));
    const informers = [this.#jobs, this.#pods];
    this.#loop = new WorkLoop({ clock: context.clock, informers, sync: (key, signal) => this.sync(key, signal), log: context.log, workers: 5 });
    this.#orphans = new WorkLoop({ clock: context.clock, informers, sync: (key, signal) => this.#syncOrphanPod(key, signal), log: context.log });
    this.#jobs.addEventHandler({
      onAdd: (job) => this.#loop.enqueue(objectKey(job)),
      onUpdate: (_old, job) => this.#loop.enqueue(objectKey(job)),
      onDelete: (gone) => this.#jobDeleted(deletedObject(gone)),
    });
    this.#pods.addEventHandler({
      onAdd: (pod) => this.#podChanged(undefined, pod),
      onUpdate: (old, pod) => this.#podChanged(old, pod),
      onDelete: (gone) => this.#podDeleted(deletedObject(gone)),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.#loop.run(signal), this.#orphans.run(signal)]);
    await this.#events.flushed();
  }

  /** Brings the Job at `key` (`namespace/name`) one step towards its goal and writes its status. */
  async sync(key: string, signal?: AbortSignal): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.#jobs.lister.get(name, namespace);
    if (cached === undefined) {
      this.#forget(key);
      return;
    }
    if (isJobFinished(cached)) {
      this.#backoffs.delete(key);
      return;
    }
    const job = structuredClone(cached);
    const status = statusOf(job);
    const satisfied = this.#expectations.satisfied(key);
    const pods = await claimJobPods(
      { client: this.#context.client, job, signal, canAdopt: () => this.#canAdopt(job, signal) },
      this.#pods.lister.namespace(namespace ?? '').list(),
    );
    const active = pods.filter(isPodActive);
    const uncounted = { succeeded: new Set(status.uncountedTerminatedPods?.succeeded ?? []), failed: new Set(status.uncountedTerminatedPods?.failed ?? []) };
    const releasing = this.#finalizerExpectations.expected(key);
    const fresh = newFinishedPods(job, pods, uncounted, releasing);
    const countedFailures = fresh.failed.filter((p) => matchPodFailurePolicy(job.spec?.podFailurePolicy, p).counts).length;
    const state: SyncState = {
      key,
      job,
      pods,
      active,
      activeCount: active.length,
      ready: active.filter(isPodReady).length,
      terminating: pods.filter(isPodTerminating).length,
      uncounted,
      releasing,
      succeeded: (status.succeeded ?? 0) + fresh.succeeded.length + uncounted.succeeded.size,
      failed: (status.failed ?? 0) + countedFailures + uncounted.failed.size,
      previousSucceededIndexes: [],
      succeededIndexes: [],
      lastFailedPerIndex: new Map(),
      backoff: nextBackoffRecord(this.#backoffs.get(key) ?? { failuresAfterLastSuccess: 0 }, fresh.succeeded, fresh.failed),
    };
    const now = this.#context.clock.now();
    if (status.startTime === undefined && !isSuspended(job)) status.startTime = new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    this.#decideFinished(state);
    let manageError: unknown;
    let suspendChanged = false;
    if (state.finished !== undefined) {
      const result = await this.#deletePods(state, state.active, false, signal);
      if (result.deleted !== state.activeCount || !satisfied) state.finished = undefined;
      state.activeCount -= result.deleted;
      state.terminating += result.deleted;
      state.ready -= result.deletedReady;
      manageError = result.error;
    } else {
      const manage = satisfied && job.metadata.deletionTimestamp === undefined;
      if (manage) {
        try {
          await this.#manageJob(state, signal);
        } catch (err) {
          manageError = err;
        }
      }
      const completions = job.spec?.completions;
      const complete = state.activeCount === 0 && (completions === undefined || completions === null ? state.succeeded > 0 : state.succeeded >= completions);
      if (complete) state.finished = newCondition('SuccessCriteriaMet', COMPLETIONS_REACHED.reason, COMPLETIONS_REACHED.message, now);
      else if (manage) suspendChanged = this.#updateSuspendCondition(state, now);
    }
    const needsUpdate = suspendChanged || state.activeCount !== (status.active ?? 0) || state.ready !== status.ready || state.terminating !== status.terminating;
    status.active = state.activeCount;
    status.ready = state.ready;
    status.terminating = state.terminating;
    await this.#trackStatus(state, needsUpdate, signal);
    if (manageError !== undefined) throw manageError;
  }

  /** Sets `state.finished` when the Job has failed or met its success policy (upstream order). */
  #decideFinished(state: SyncState): void {
    const { job } = state;
    const now = this.#context.clock.now();
    const spec = job.spec ?? { template: {} };
    const met = findCondition(job, 'SuccessCriteriaMet');
    if (met?.status === 'True') state.finished = met;
    else {
      const target = findCondition(job, 'FailureTarget');
      const message = target?.status === 'True' ? undefined : failJobMessage(job, state.pods);
      if (target?.status === 'True') state.finished = newCondition('Failed', target.reason ?? '', target.message ?? '', now);
      else if (message !== undefined) state.finished = newCondition('FailureTarget', 'PodFailurePolicy', message, now);
    }
    if (state.finished === undefined) {
      const startTime = job.status?.startTime === undefined ? undefined : Date.parse(job.status.startTime);
      const deadline = spec.activeDeadlineSeconds;
      if (state.failed > (spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, state.pods)) {
        state.finished = newCondition('FailureTarget', BACKOFF_LIMIT_EXCEEDED.reason, BACKOFF_LIMIT_EXCEEDED.message, now);
      } else if (deadline !== undefined && startTime !== undefined && !isSuspended(job)) {
        const left = deadline * 1000 - (now - startTime);
        if (left <= 0) state.finished = newCondition('FailureTarget', DEADLINE_EXCEEDED.reason, DEADLINE_EXCEEDED.message, now);
        else this.#loop.enqueueAfter(state.key, left);
      }
    }
    if (!isIndexedJob(job)) return;
    const completions = spec.completions ?? 0;
    const indexes = succeededIndexes(job, state.pods);
    state.previousSucceededIndexes = indexes.previous;
    state.succeededIndexes = indexes.current;
    state.succeeded = totalOf(indexes.current);
    if (spec.backoffLimitPerIndex !== undefined) {
      state.failedIndexes = failedIndexes(job, state.pods);
      const failedCount = totalOf(state.failedIndexes);
      if (state.finished === undefined) {
        if (spec.maxFailedIndexes !== undefined && failedCount > spec.maxFailedIndexes) {
          state.finished = newCondition('FailureTarget', MAX_FAILED_INDEXES_EXCEEDED.reason, MAX_FAILED_INDEXES_EXCEEDED.message, now);
        } else if (failedCount > 0 && failedCount + state.succeeded >= completions) {
          state.finished = newCondition('FailureTarget', FAILED_INDEXES.reason, FAILED_INDEXES.message, now);
        }
      }
      state.lastFailedPerIndex = lastFailedPodPerIndex(job, state.pods, state.succeededIndexes, state.failedIndexes);
    }
    if (state.finished === undefined) {
      const message = matchSuccessPolicy(spec.successPolicy, completions, state.succeededIndexes);
      if (message !== undefined) state.finished = newCondition('SuccessCriteriaMet', 'SuccessPolicy', message, now);
    }
  }

  /** Sets the Suspended condition (and resets startTime on resume); true when it changed. */
  #updateSuspendCondition(state: SyncState, now: number): boolean {
    const status = statusOf(state.job);
    const suspended = isSuspended(state.job);
    const result = suspended
      ? ensureCondition(status.conditions ?? [], 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)
      : ensureCondition(status.conditions ?? [], 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
    if (!result.changed) return false;
    status.conditions = result.conditions;
    this.#events.record(state.job, 'Normal', suspended ? 'Suspended' : 'Resumed', suspended ? 'Job suspended' : 'Job resumed');
    if (!suspended) status.startTime = new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    return true;
  }

  /** Upstream `manageJob`: deletes extra pods or creates missing ones (never both in one sync). */
  async #manageJob(state: SyncState, signal?: AbortSignal): Promise<void> {
    const { job, key } = state;
    const spec = job.spec ?? { template: {} };
    if (isSuspended(job)) {
      await this.#removeExtraPods(state, this.#podsForRemoval(state, state.activeCount), signal);
      return;
    }
    const parallelism = spec.parallelism ?? 1;
    const completions = spec.completions;
    let wantActive: number;
    if (completions === undefined || completions === null) wantActive = state.succeeded > 0 ? state.activeCount : parallelism;
    else wantActive = Math.max(0, Math.min(completions - state.succeeded, parallelism));
    const victims = this.#podsForRemoval(state, Math.max(0, state.activeCount - wantActive)).slice(0, MAX_POD_CHANGES_PER_SYNC);
    if (victims.length > 0) {
      await this.#removeExtraPods(state, victims, signal);
      return;
    }
    const blocking = onlyReplaceFailedPods(job) ? state.terminating : 0;
    let diff = Math.min(wantActive - blocking - state.activeCount, MAX_POD_CHANGES_PER_SYNC);
    if (diff <= 0) return;
    const perIndex = spec.backoffLimitPerIndex !== undefined;
    if (!perIndex) {
      const wait = remainingBackoffMs(this.#context.clock, state.backoff.failuresAfterLastSuccess, state.backoff.lastFailureTime);
      if (wait > 0) {
        this.#loop.enqueueAfter(key, Math.max(wait, 1000));
        return;
      }
    }
    let indexes: (number | undefined)[] = [];
    if (isIndexedJob(job)) {
      const busy = state.active.map(completionIndexOf).filter((i): i is number => i !== undefined);
      const done = withIndexes(state.succeededIndexes, []).concat(state.failedIndexes ?? []);
      let pending = firstPendingIndexes(withIndexes(done, []), busy, diff, completions ?? 0);
      if (perIndex) {
        const ready = pending.filter((i) => this.#indexBackoffMs(state, i) === 0);
        if (ready.length === 0 && pending.length > 0) {
          this.#loop.enqueueAfter(key, Math.max(1000, Math.min(...pending.map((i) => this.#indexBackoffMs(state, i)))));
          return;
        }
        pending = ready;
      }
      indexes = pending;
      diff = indexes.length;
    } else {
      indexes = Array.from({ length: diff }, () => undefined);
    }
    if (diff === 0) return;
    this.#expectations.expectCreations(key, diff);
    const queue = [...indexes];
    const result = await slowStartBatch(diff, 1, () => this.#createPod(state, queue.shift(), signal));
    state.activeCount += result.successes;
    for (let skipped = diff - result.successes; skipped > 0; skipped--) this.#expectations.creationObserved(key);
    if (result.error !== undefined) throw result.error;
  }

  #indexBackoffMs(state: SyncState, index: number): number {
    const last = state.lastFailedPerIndex.get(index);
    if (last === undefined) return 0;
    const failures = indexFailureCountOf(last) + indexIgnoredFailureCountOf(last) + 1;
    return remainingBackoffMs(this.#context.clock, failures, finishedTimeOf(last));
  }

  /** Upstream `activePodsForRemoval`: duplicated or out-of-range indexes (and failed indexes) first, then by rank. */
  #podsForRemoval(state: SyncState, atLeast: number): PodObject[] {
    const { job } = state;
    if (!isIndexedJob(job)) return podsToDelete(state.active, atLeast);
    const removal: PodObject[] = [];
    const keep: PodObject[] = [];
    const seen = new Map<number, PodObject>();
    const ranked = [...podsToDelete(state.active, state.active.length)].reverse();
    for (const pod of ranked) {
      const index = completionIndexOf(pod);
      const failedIndex = index !== undefined && state.failedIndexes !== undefined && hasIndex(state.failedIndexes, index);
      if (index === undefined || !hasValidIndex(job, pod) || seen.has(index) || failedIndex) removal.push(pod);
      else {
        seen.set(index, pod);
        keep.push(pod);
      }
    }
    if (removal.length < atLeast) removal.push(...podsToDelete(keep, atLeast - removal.length));
    return removal;
  }

  async #removeExtraPods(state: SyncState, victims: readonly PodObject[], signal?: AbortSignal): Promise<void> {
    if (victims.length === 0) return;
    this.#expectations.expectDeletions(state.key, victims.map(objectKey));
    const result = await this.#deletePods(state, victims, true, signal);
    state.activeCount -= result.deleted;
    state.terminating += result.deleted;
    state.ready -= result.deletedReady;
    if (result.error !== undefined) throw result.error;
  }

  /**
   * Deletes `pods`; with `release` their tracking finalizer is removed first (pods
   * removed for scale-down or suspension are not failures), otherwise the finalizer
   * stays so the status tracking counts them.
   */
  async #deletePods(state: SyncState, pods: readonly PodObject[], release: boolean, signal?: AbortSignal): Promise<{ deleted: number; deletedReady: number; error?: unknown }> {
    let deleted = 0;
    let deletedReady = 0;
    let error: unknown;
    await Promise.all(
      pods.map(async (pod) => {
        const target = { ...PODS, namespace: pod.metadata.namespace };
        try {
          if (release && hasTrackingFinalizer(pod)) await this.#removeFinalizer(pod, signal);
          await this.#context.client.delete(target, pod.metadata.name ?? '', { signal });
          this.#events.record(state.job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name ?? ''}`);
        } catch (err) {
          if (release) this.#expectations.deletionObserved(state.key, objectKey(pod));
          if (!isStatusReason(err, 'NotFound')) {
            error = err;
            return;
          }
        }
        deleted++;
        if (isPodReady(pod)) deletedReady++;
      }),
    );
    return error === undefined ? { deleted, deletedReady } : { deleted, deletedReady, error };
  }

  async #createPod(state: SyncState, index: number | undefined, signal?: AbortSignal): Promise<void> {
    const { job, key } = state;
    let failures: IndexFailures | undefined;
    if (index !== undefined && job.spec?.backoffLimitPerIndex !== undefined) {
      const last = state.lastFailedPerIndex.get(index);
      failures = { failed: 0, ignored: 0 };
      if (last !== undefined) {
        const counts = matchPodFailurePolicy(job.spec.podFailurePolicy, last).counts;
        failures = { failed: indexFailureCountOf(last) + (counts ? 1 : 0), ignored: indexIgnoredFailureCountOf(last) + (counts ? 0 : 1) };
      }
    }
    try {
      const pod = await this.#context.client.create({ ...PODS, namespace: job.metadata.namespace }, podForJob(job, index, failures), { signal });
      this.#events.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`);
    } catch (err) {
      this.#expectations.creationObserved(key);
      // Pods cannot be created in a namespace being deleted; that is no failure.
      if (isStatusReason(err, 'Forbidden') && JSON.stringify(err).includes('NamespaceTerminating')) return;
      this.#events.record(job, 'Warning', 'FailedCreate', `Error creating: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  /** Upstream `canRemoveFinalizer`. */
  #canRelease(state: SyncState, pod: PodObject, failed: boolean): boolean {
    if (state.job.metadata.deletionTimestamp !== undefined || state.finished !== undefined || pod.status?.phase === 'Succeeded') return true;
    if (!failed) return false;
    const index = completionIndexOf(pod);
    return index === undefined || state.lastFailedPerIndex.get(index)?.metadata.uid !== pod.metadata.uid;
  }

  /**
   * Upstream `trackJobStatusAndRemoveFinalizers`: writes finished pods' uids to
   * `uncountedTerminatedPods`, removes their finalizers, moves the released ones to
   * the counters, and finishes the Job once nothing is left uncounted or terminating.
   */
  async #trackStatus(state: SyncState, needsFlushAtStart: boolean, signal?: AbortSignal): Promise<void> {
    let needsFlush = needsFlushAtStart;
    const { job } = state;
    const status = statusOf(job);
    const uncounted = status.uncountedTerminatedPods ?? {};
    const indexed = isIndexedJob(job);
    const withFinalizer = new Set(state.pods.filter((p) => hasTrackingFinalizer(p) && !state.releasing.has(uidOf(p))).map(uidOf));
    if (this.#moveReleasedToCounters(status, withFinalizer)) needsFlush = true;
    const toRelease: PodObject[] = [];
    const newIndexes: number[] = [];
    let reachedMax = false;
    const ordered = indexed ? [...state.pods].sort((a, b) => (completionIndexOf(a) ?? -1) - (completionIndexOf(b) ?? -1)) : state.pods;
    const jobFailing = state.finished !== undefined && state.finished.type !== 'SuccessCriteriaMet';
    for (const pod of ordered) {
      const uid = uidOf(pod);
      if (!hasTrackingFinalizer(pod) || state.releasing.has(uid)) continue;
      const failed = isPodFailed(pod, job);
      if (!this.#canRelease(state, pod, failed)) continue;
      toRelease.push(pod);
      if (pod.status?.phase === 'Succeeded' && !state.uncounted.failed.has(uid)) {
        if (indexed) {
          const index = completionIndexOf(pod);
          if (index !== undefined && hasValidIndex(job, pod) && !hasIndex(state.previousSucceededIndexes, index)) {
            newIndexes.push(index);
            needsFlush = true;
          }
        } else if (!state.uncounted.succeeded.has(uid)) {
          uncounted.succeeded = [...(uncounted.succeeded ?? []), uid];
          needsFlush = true;
        }
      } else if ((failed || jobFailing) && !state.uncounted.failed.has(uid) && (!indexed || hasValidIndex(job, pod))) {
        if (matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).counts) {
          uncounted.failed = [...(uncounted.failed ?? []), uid];
          needsFlush = true;
        }
      }
      if (newIndexes.length + (uncounted.succeeded?.length ?? 0) + (uncounted.failed?.length ?? 0) >= MAX_UNCOUNTED_PODS) {
        reachedMax = true;
        break;
      }
    }
    status.uncountedTerminatedPods = uncounted;
    if (indexed) {
      state.succeededIndexes = withIndexes(state.succeededIndexes, newIndexes);
      const text = formatIntervals(state.succeededIndexes);
      if (text !== (status.completedIndexes ?? '')) needsFlush = true;
      status.completedIndexes = text;
      status.succeeded = totalOf(state.succeededIndexes);
      const failedText = state.failedIndexes === undefined ? undefined : formatIntervals(state.failedIndexes);
      if (failedText !== status.failedIndexes) {
        needsFlush = true;
        if (failedText === undefined) delete status.failedIndexes;
        else status.failedIndexes = failedText;
      }
    }
    const now = this.#context.clock.now();
    const finished = state.finished;
    if (finished?.type === 'FailureTarget') {
      status.conditions = [...(status.conditions ?? []), finished];
      needsFlush = true;
      state.finished = newCondition('Failed', finished.reason ?? '', finished.message ?? '', now);
    } else if (finished?.type === 'SuccessCriteriaMet') {
      if (findCondition(job, 'SuccessCriteriaMet')?.status !== 'True') {
        status.conditions = [...(status.conditions ?? []), finished];
        needsFlush = true;
      }
      state.finished = newCondition('Complete', finished.reason ?? '', finished.message ?? '', now);
    }
    if (needsFlush) {
      state.job = await this.#writeStatus(state.job, signal);
      this.#backoffs.set(state.key, state.backoff);
      needsFlush = false;
    }
    const released = await this.#releasePods(state.key, toRelease, signal);
    for (const uid of released.uids) withFinalizer.delete(uid);
    const current = statusOf(state.job);
    if (this.#moveReleasedToCounters(current, withFinalizer)) needsFlush = true;
    if (released.error !== undefined) {
      if (needsFlush) state.job = await this.#writeStatus(state.job, signal);
      throw released.error;
    }
    const finishedNow = !reachedMax && this.#enactFinished(state);
    if (finishedNow || needsFlush) {
      state.job = await this.#writeStatus(state.job, signal);
      if (finishedNow) this.#recordFinished(state);
    }
  }

  /** Upstream `cleanUncountedPodsWithoutFinalizers`: uids whose pods lost the finalizer move to the counters. */
  #moveReleasedToCounters(status: JobStatus, withFinalizer: ReadonlySet<string>): boolean {
    const uncounted = status.uncountedTerminatedPods ?? {};
    let changed = false;
    const succeeded = (uncounted.succeeded ?? []).filter((uid) => withFinalizer.has(uid));
    if (succeeded.length !== (uncounted.succeeded?.length ?? 0)) {
      status.succeeded = (status.succeeded ?? 0) + (uncounted.succeeded?.length ?? 0) - succeeded.length;
      uncounted.succeeded = succeeded;
      changed = true;
    }
    const failed = (uncounted.failed ?? []).filter((uid) => withFinalizer.has(uid));
    if (failed.length !== (uncounted.failed?.length ?? 0)) {
      status.failed = (status.failed ?? 0) + (uncounted.failed?.length ?? 0) - failed.length;
      uncounted.failed = failed;
      changed = true;
    }
    status.uncountedTerminatedPods = uncounted;
    return changed;
  }

  /** Upstream `enactJobFinished`: adds Complete/Failed once nothing is uncounted or terminating. */
  #enactFinished(state: SyncState): boolean {
    const finished = state.finished;
    if (finished === undefined) return false;
    const status = statusOf(state.job);
    const uncounted = status.uncountedTerminatedPods ?? {};
    if ((uncounted.succeeded?.length ?? 0) + (uncounted.failed?.length ?? 0) > 0) return false;
    if (state.terminating > 0) return false;
    const now = this.#context.clock.now();
    status.conditions = ensureCondition(status.conditions ?? [], finished.type, 'True', finished.reason ?? '', finished.message ?? '', now).conditions;
    if (finished.type === 'Complete') status.completionTime = status.conditions.find((c) => c.type === 'Complete')?.lastTransitionTime;
    return true;
  }

  #recordFinished(state: SyncState): void {
    const { job } = state;
    const finished = state.finished;
    if (finished?.type === 'Complete') {
      const completions = job.spec?.completions;
      if (completions !== undefined && completions !== null && (job.status?.succeeded ?? 0) > completions) {
        this.#events.record(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      this.#events.record(job, 'Normal', 'Completed', 'Job completed');
    } else if (finished !== undefined) {
      this.#events.record(job, 'Warning', finished.reason ?? '', finished.message ?? '');
    }
  }

  /** Writes the Job's status (with its resourceVersion: a stale copy conflicts and the sync is retried). */
  async #writeStatus(job: JobObject, signal?: AbortSignal): Promise<JobObject> {
    const written = await this.#context.client.update<JobObject>({ ...JOBS, namespace: job.metadata.namespace }, { ...job, apiVersion: 'batch/v1', kind: 'Job' }, { subresource: 'status', signal });
    statusOf(written);
    return written;
  }

  /** Removes the tracking finalizer from `pods`; returns the uids released (gone pods count as released). */
  async #releasePods(key: string, pods: readonly PodObject[], signal?: AbortSignal): Promise<{ uids: string[]; error?: unknown }> {
    if (pods.length === 0) return { uids: [] };
    this.#finalizerExpectations.expectRemovals(key, pods.map(uidOf));
    const uids: string[] = [];
    let error: unknown;
    await Promise.all(
      pods.map(async (pod) => {
        try {
          await this.#removeFinalizer(pod, signal);
          uids.push(uidOf(pod));
        } catch (err) {
          this.#finalizerExpectations.observed(key, uidOf(pod));
          if (isStatusReason(err, 'NotFound')) uids.push(uidOf(pod));
          else error = err;
        }
      }),
    );
    return error === undefined ? { uids } : { uids, error };
  }

  async #removeFinalizer(pod: PodObject, signal?: AbortSignal): Promise<void> {
    const patch = { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER], uid: pod.metadata.uid } };
    await this.#context.client.patch({ ...PODS, namespace: pod.metadata.namespace }, pod.metadata.name ?? '', 'strategic', patch, { signal });
  }

  async #canAdopt(job: JobObject, signal?: AbortSignal): Promise<void> {
    const fresh = await this.#context.client.get<JobObject>({ ...JOBS, namespace: job.metadata.namespace }, job.metadata.name ?? '', { signal });
    if (fresh.metadata.uid !== job.metadata.uid) throw new Error(`original Job ${objectKey(job)} is gone: got uid ${fresh.metadata.uid}, wanted ${job.metadata.uid}`);
    if (fresh.metadata.deletionTimestamp !== undefined) throw new Error(`Job ${objectKey(job)} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }

  /** Upstream `syncOrphanPod`: a pod whose Job is gone or finished (or that has no controller) loses the tracking finalizer. */
  async #syncOrphanPod(key: string, signal?: AbortSignal): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.#pods.lister.get(name, namespace);
    if (pod === undefined || !hasTrackingFinalizer(pod) || !this.#isOrphan(pod)) return;
    try {
      await this.#removeFinalizer(pod, signal);
    } catch (err) {
      if (!isStatusReason(err, 'NotFound')) throw err;
    }
  }

  #isOrphan(pod: PodObject): boolean {
    const ref = controllerRefOf(pod);
    if (ref === undefined) return true;
    if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return false;
    const job = this.#jobs.lister.get(ref.name, pod.metadata.namespace);
    return job === undefined || job.metadata.uid !== ref.uid || isJobFinished(job);
  }

  /** The key of the Job controlling `pod`, if this informer knows it. */
  #jobKeyOf(pod: PodObject): string | undefined {
    const ref = controllerRefOf(pod);
    if (ref === undefined || ref.kind !== 'Job') return undefined;
    const job = this.#jobs.lister.get(ref.name, pod.metadata.namespace);
    return job?.metadata.uid === ref.uid ? objectKey(job) : undefined;
  }

  #podChanged(old: PodObject | undefined, pod: PodObject): void {
    if (old !== undefined && old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    const key = this.#jobKeyOf(pod);
    if (key !== undefined) {
      if (old === undefined) this.#expectations.creationObserved(key);
      if (pod.metadata.deletionTimestamp !== undefined && old?.metadata.deletionTimestamp === undefined) this.#expectations.deletionObserved(key, objectKey(pod));
      if (!hasTrackingFinalizer(pod)) this.#finalizerExpectations.observed(key, uidOf(pod));
      this.#loop.enqueue(key);
    } else if (controllerRefOf(pod) === undefined) {
      this.#enqueueMatchingJobs(pod);
    }
    if (old !== undefined) {
      const oldKey = this.#jobKeyOf(old);
      if (oldKey !== undefined && oldKey !== key) this.#loop.enqueue(oldKey);
    }
    if (hasTrackingFinalizer(pod) && this.#isOrphan(pod)) this.#orphans.enqueue(objectKey(pod));
  }

  #podDeleted(pod: PodObject): void {
    const key = this.#jobKeyOf(pod);
    if (key === undefined) return;
    this.#expectations.deletionObserved(key, objectKey(pod));
    this.#finalizerExpectations.observed(key, uidOf(pod));
    this.#loop.enqueue(key);
  }

  #enqueueMatchingJobs(pod: PodObject): void {
    if (pod.metadata.deletionTimestamp !== undefined) return;
    for (const job of this.#jobs.lister.namespace(pod.metadata.namespace ?? '').list()) {
      try {
        if (labelSelectorFromObject(job.spec?.selector).matches(pod.metadata.labels ?? {})) this.#loop.enqueue(objectKey(job));
      } catch {
        // A Job with an invalid selector matches nothing.
      }
    }
  }

  #jobDeleted(job: JobObject): void {
    const key = objectKey(job);
    this.#forget(key);
    this.#loop.enqueue(key);
    for (const pod of this.#pods.lister.namespace(job.metadata.namespace ?? '').list()) {
      if (controllerRefOf(pod)?.uid === job.metadata.uid && hasTrackingFinalizer(pod)) this.#orphans.enqueue(objectKey(pod));
    }
  }

  #forget(key: string): void {
    this.#expectations.forget(key);
    this.#finalizerExpectations.forget(key);
    this.#backoffs.delete(key);
  }
}

/** The Job controller as the manager builds it. */
export const jobControllerDescriptor: ControllerDescriptor = {
  name: 'job',
  create: (context) => new JobController(context),
};
