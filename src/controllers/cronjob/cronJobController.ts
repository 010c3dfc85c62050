/**
 * The CronJob controller (upstream `cronjob`, v2): creates a Job from a CronJob's
 * template at each schedule time, named `<cronjob>-<scheduled minutes since epoch>` so
 * a time is never run twice. A sync first trims finished Jobs beyond the history
 * limits, then reconciles `status.active` with the Jobs it owns (finished ones leave,
 * lastSuccessfulTime follows completions), then, unless suspended, starts the most
 * recent unmet schedule time (one catch-up at most after downtime) within
 * startingDeadlineSeconds, honouring concurrencyPolicy Allow/Forbid/Replace, and
 * requeues itself for the next schedule time on the controller's clock.
 */
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isStatusReason } from '../../api/status.js';
import { EventRecorder, deletedObject, objectKey, splitKey } from '../../client/index.js';
import type { SharedInformer } from '../../client/index.js';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controller.js';
import { apiTime } from '../../api/time.js';
import { WorkLoop } from '../workLoop.js';
import { mostRecentScheduleTime, msUntilNextSchedule, parseSchedule, rfc3339In, scheduledTimeHash, type Schedule, type ScheduleState } from './cronSchedule.js';

type CronJobObject = KubeObject & CronJob;
type JobObject = KubeObject & Job;

const CRONJOBS = { group: 'batch', version: 'v1', resource: 'cronjobs' };
const JOBS = { group: 'batch', version: 'v1', resource: 'jobs' };
/** Upstream `batch.kubernetes.io/cronjob-scheduled-timestamp`. */
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** The finishing condition type of a Job (Complete or Failed), if it finished. */
function finishedType(job: JobObject): 'Complete' | 'Failed' | undefined {
  const condition = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  return condition?.type as 'Complete' | 'Failed' | undefined;
}

function controllerUid(job: JobObject): string | undefined {
  return job.metadata.ownerReferences?.find((r) => r.controller === true && r.kind === 'CronJob')?.uid;
}

function jobReference(job: JobObject): ObjectReference {
  return { kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name, uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion };
}

function scheduleState(cronJob: CronJobObject): ScheduleState {
  const state: ScheduleState = { creationTime: Date.parse(cronJob.metadata.creationTimestamp ?? '') || 0 };
  const last = cronJob.status?.lastScheduleTime;
  if (last !== undefined) state.lastScheduleTime = Date.parse(last);
  const deadline = cronJob.spec?.startingDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) state.startingDeadlineSeconds = deadline;
  return state;
}

/** Upstream `byJobStartTime`: oldest start first, Jobs that never started last, then by name. */
function byStartTime(a: JobObject, b: JobObject): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (sa === undefined && sb !== undefined) return 1;
  if (sa !== undefined && sb === undefined) return -1;
  const diff = sa === undefined || sb === undefined ? 0 : Date.parse(sa) - Date.parse(sb);
  return diff !== 0 ? diff : (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** The CronJob controller; see the module comment. */
export class CronJobController implements Controller {
  readonly #context: ControllerContext;
  readonly #cronJobs: SharedInformer<CronJobObject>;
  readonly #jobs: SharedInformer<JobObject>;
  readonly #events: EventRecorder;
  readonly #loop: WorkLoop;

  constructor(context: ControllerContext) {
    this.#context = context;
    this.#cronJobs = context.informers.informerFor<CronJobObject>(CRONJOBS);
    this.#jobs = context.informers.informerFor<JobObject>(JOBS);
    this.#events = new EventRecorder(context.client, context.clock, { component: 'cronjob-controller' }, (err) => context.log(`event: ${String(err)}`));
    this.#loop = new WorkLoop({ clock: context.clock, informers: [this.#cronJobs, this.#jobs], sync: (key, signal) => this.sync(key, signal), log: context.log });
    this.#cronJobs.addEventHandler({
      onAdd: (cronJob) => this.#loop.enqueue(objectKey(cronJob)),
      onUpdate: (old, cronJob) => this.#cronJobUpdated(old, cronJob),
      onDelete: (gone) => this.#loop.enqueue(objectKey(deletedObject(gone))),
    });
    this.#jobs.addEventHandler({
      onAdd: (job) => this.#enqueueOwner(job),
      onUpdate: (old, job) => {
        this.#enqueueOwner(old);
        this.#enqueueOwner(job);
      },
      onDelete: (gone) => this.#enqueueOwner(deletedObject(gone)),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.#loop.run(signal);
    await this.#events.flushed();
  }

  /** Reconciles the CronJob at `key`: history, active list, the due Job; writes status; requeues for the next time. */
  async sync(key: string, signal?: AbortSignal): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.#cronJobs.lister.get(name, namespace);
    if (cached === undefined) return;
    const cronJob = structuredClone(cached);
    cronJob.status ??= {};
    const jobs = this.#jobs.lister.namespace(namespace ?? '').list().filter((j) => controllerUid(j) === cronJob.metadata.uid);
    const cleaned = await this.#cleanupFinishedJobs(cronJob, jobs, signal);
    const { requeueAt, changed, error } = await this.#syncCronJob(cronJob, jobs, signal);
    if (cleaned || changed) {
      await this.#context.client.update({ ...CRONJOBS, namespace }, { ...cronJob, apiVersion: 'batch/v1', kind: 'CronJob' }, { subresource: 'status', signal });
    }
    if (requeueAt !== undefined) {
      // Measured when queued: the writes above took time.
      this.#loop.enqueueAfter(key, requeueAt - this.#context.clock.now());
      return;
    }
    if (error !== undefined) throw error;
  }

  async #syncCronJob(cronJob: CronJobObject, jobs: readonly JobObject[], signal?: AbortSignal): Promise<{ requeueAt?: number; changed: boolean; error?: unknown }> {
    const status = (cronJob.status ??= {});
    let changed = false;
    const owned = new Set<string>();
    for (const job of jobs) {
      owned.add(job.metadata.uid ?? '');
      const listed = (status.active ?? []).some((ref) => ref.uid === job.metadata.uid);
      const finished = finishedType(job);
      if (!listed && finished === undefined) {
        // The cache may just lag behind the status write that listed it: ask the API.
        const fresh = await this.#context.client.get<CronJobObject>({ ...CRONJOBS, namespace: cronJob.metadata.namespace }, cronJob.metadata.name ?? '', { signal });
        if (fresh.metadata.uid === cronJob.metadata.uid && (fresh.status?.active ?? []).some((ref) => ref.uid === job.metadata.uid)) {
          cronJob.metadata = fresh.metadata;
          Object.assign(status, fresh.status);
          continue;
        }
        this.#events.record(cronJob, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata.name ?? ''}`);
      } else if (listed && finished !== undefined) {
        status.active = (status.active ?? []).filter((ref) => ref.uid !== job.metadata.uid);
        this.#events.record(cronJob, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata.name ?? ''}, condition: ${finished}`);
        changed = true;
      }
      const completion = job.status?.completionTime;
      if (finished === 'Complete' && completion !== undefined && (status.lastSuccessfulTime === undefined || Date.parse(completion) > Date.parse(status.lastSuccessfulTime))) {
        status.lastSuccessfulTime = completion;
        changed = true;
      }
    }
    for (const ref of [...(status.active ?? [])]) {
      if (owned.has(ref.uid ?? '')) continue;
      try {
        await this.#context.client.get({ ...JOBS, namespace: ref.namespace }, ref.name ?? '', { signal });
      } catch (err) {
        if (!isStatusReason(err, 'NotFound')) return { changed, error: err };
        this.#events.record(cronJob, 'Warning', 'MissingJob', `Active job went missing: ${ref.name ?? ''}`);
        status.active = (status.active ?? []).filter((r) => r.uid !== ref.uid);
        changed = true;
      }
    }
    if (cronJob.metadata.deletionTimestamp !== undefined || cronJob.spec?.suspend === true) return { changed };
    const timeZone = cronJob.spec?.timeZone ?? undefined;
    if (timeZone !== undefined && !isKnownTimeZone(timeZone)) {
      this.#events.record(cronJob, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${timeZone}": unknown time zone ${timeZone}`);
      return { changed };
    }
    let schedule: Schedule;
    try {
      schedule = parseSchedule(cronJob.spec?.schedule ?? '', timeZone);
    } catch (err) {
      this.#events.record(cronJob, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${cronJob.spec?.schedule ?? ''}" : ${err instanceof Error ? err.message : String(err)}`);
      return { changed };
    }
    const now = this.#context.clock.now();
    const state = scheduleState(cronJob);
    let scheduledTime: number | undefined;
    try {
      const check = mostRecentScheduleTime(state, now, schedule, true);
      if (check.mostRecent !== undefined && check.tooManyMissed) {
        this.#events.record(cronJob, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
      }
      scheduledTime = check.mostRecent;
    } catch (err) {
      this.#events.record(cronJob, 'Warning', 'InvalidSchedule', `invalid schedule: ${cronJob.spec?.schedule ?? ''} : ${err instanceof Error ? err.message : String(err)}`);
      return { changed };
    }
    const requeue = (): { requeueAt: number; changed: boolean } => ({ requeueAt: now + msUntilNextSchedule(scheduleState(cronJob), now, schedule), changed });
    if (scheduledTime === undefined) return requeue();
    const deadline = cronJob.spec?.startingDeadlineSeconds;
    if (deadline !== undefined && deadline !== null && scheduledTime + deadline * 1000 < now) {
      this.#events.record(cronJob, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduledTime)}`);
      return requeue();
    }
    const jobName = `${cronJob.metadata.name ?? ''}-${scheduledTimeHash(scheduledTime)}`;
    if ((status.active ?? []).some((ref) => ref.name === jobName) || (status.lastScheduleTime !== undefined && Date.parse(status.lastScheduleTime) === scheduledTime)) return requeue();
    if (cronJob.spec?.concurrencyPolicy === 'Forbid' && (status.active ?? []).length > 0) {
      this.#events.record(cronJob, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return requeue();
    }
    if (cronJob.spec?.concurrencyPolicy === 'Replace') {
      for (const ref of [...(status.active ?? [])]) {
        const deleted = await this.#deleteJob(cronJob, ref.namespace ?? '', ref.name ?? '', ref.uid ?? '', signal);
        if (!deleted) return { changed, error: new Error(`could not replace job ${ref.namespace ?? ''}/${ref.name ?? ''}`) };
        changed = true;
      }
    }
    let created: JobObject;
    try {
      created = await this.#context.client.create({ ...JOBS, namespace: cronJob.metadata.namespace }, this.#jobFor(cronJob, jobName, scheduledTime, timeZone), { signal });
      this.#events.record(cronJob, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name ?? ''}`);
    } catch (err) {
      if (isStatusReason(err, 'Forbidden') && JSON.stringify(err).includes('NamespaceTerminating')) return { changed, error: err };
      if (!isStatusReason(err, 'AlreadyExists')) {
        this.#events.record(cronJob, 'Warning', 'FailedCreate', `Error creating job: ${err instanceof Error ? err.message : String(err)}`);
        return { changed, error: err };
      }
      try {
        created = await this.#context.client.get<JobObject>({ ...JOBS, namespace: cronJob.metadata.namespace }, jobName, { signal });
      } catch (getErr) {
        return { changed, error: getErr };
      }
      // A Job of that name someone else made, or one already listed, is left to whoever made it.
      if (controllerUid(created) !== cronJob.metadata.uid || (status.active ?? []).some((ref) => ref.uid === created.metadata.uid)) return { changed };
    }
    status.active = [...(status.active ?? []), jobReference(created)];
    status.lastScheduleTime = apiTime(scheduledTime);
    return { requeueAt: now + msUntilNextSchedule(scheduleState(cronJob), now, schedule), changed: true };
  }

  /** Upstream `getJobFromTemplate2`. */
  #jobFor(cronJob: CronJobObject, name: string, scheduledTime: number, timeZone: string | undefined): JobObject {
    const template = cronJob.spec?.jobTemplate;
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        labels: { ...template?.metadata?.labels },
        annotations: { ...template?.metadata?.annotations, [SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339In(scheduledTime, timeZone) },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cronJob.metadata.name ?? '', uid: cronJob.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      spec: structuredClone(template?.spec ?? { template: {} }),
    };
  }

  /** Upstream `cleanupFinishedJobs`: deletes the oldest finished Jobs beyond the history limits. */
  async #cleanupFinishedJobs(cronJob: CronJobObject, jobs: readonly JobObject[], signal?: AbortSignal): Promise<boolean> {
    const limits: ['Complete' | 'Failed', number | undefined][] = [
      ['Complete', cronJob.spec?.successfulJobsHistoryLimit ?? undefined],
      ['Failed', cronJob.spec?.failedJobsHistoryLimit ?? undefined],
    ];
    let changed = false;
    for (const [type, limit] of limits) {
      if (limit === undefined) continue;
      const finished = jobs.filter((j) => finishedType(j) === type).sort(byStartTime);
      for (const job of finished.slice(0, Math.max(0, finished.length - limit))) {
        if (await this.#deleteJob(cronJob, job.metadata.namespace ?? '', job.metadata.name ?? '', job.metadata.uid ?? '', signal)) changed = true;
      }
    }
    return changed;
  }

  /** Upstream `deleteJob`: deletes the Job (background propagation) and drops it from the active list. */
  async #deleteJob(cronJob: CronJobObject, namespace: string, name: string, uid: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.#context.client.delete({ ...JOBS, namespace }, name, { propagationPolicy: 'Background', signal });
    } catch (err) {
      if (!isStatusReason(err, 'NotFound')) {
        this.#events.record(cronJob, 'Warning', 'FailedDelete', `Deleted job: ${err instanceof Error ? err.message : String(err)}`);
        return false;
      }
    }
    const status = (cronJob.status ??= {});
    if (status.active !== undefined) status.active = status.active.filter((ref) => ref.uid !== uid);
    this.#events.record(cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${name}`);
    return true;
  }

  #cronJobUpdated(old: CronJobObject, cronJob: CronJobObject): void {
    const key = objectKey(cronJob);
    if (old.spec?.schedule === cronJob.spec?.schedule && old.spec?.timeZone === cronJob.spec?.timeZone) {
      this.#loop.enqueue(key);
      return;
    }
    try {
      const schedule = parseSchedule(cronJob.spec?.schedule ?? '', cronJob.spec?.timeZone ?? undefined);
      this.#loop.enqueueAfter(key, msUntilNextSchedule(scheduleState(cronJob), this.#context.clock.now(), schedule));
    } catch {
      this.#loop.enqueue(key);
    }
  }

  #enqueueOwner(job: JobObject): void {
    const ref = job.metadata.ownerReferences?.find((r) => r.controller === true && r.kind === 'CronJob');
    if (ref === undefined) return;
    const cronJob = this.#cronJobs.lister.get(ref.name, job.metadata.namespace);
    if (cronJob?.metadata.uid === ref.uid) this.#loop.enqueue(objectKey(cronJob));
  }
}

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone !== '';
  } catch {
    return false;
  }
}

/** Go's RFC1123Z in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`. */
function rfc1123z(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

/** The CronJob controller as the manager builds it. */
export const cronJobControllerDescriptor: ControllerDescriptor = {
  name: 'cronjob',
  create: (context) => new CronJobController(context),
};
