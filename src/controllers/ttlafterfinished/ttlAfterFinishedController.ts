/**
 * The TTL-after-finished controller (upstream `ttl-after-finished`): a finished Job
 * (Complete or Failed) with `spec.ttlSecondsAfterFinished` is deleted that many
 * seconds after it finished (the finishing condition's transition time), on the
 * controller's clock. Before deleting it re-reads the Job, so a TTL just raised or a
 * Job just recreated under the same name is honoured; the delete is conditional on the
 * uid and uses Foreground propagation, as upstream.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isStatusReason } from '../../api/status.js';
import { objectKey, splitKey } from '../../client/index.js';
import type { SharedInformer } from '../../client/index.js';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controller.js';
import { WorkLoop } from '../workLoop.js';

type JobObject = KubeObject & Job;

const JOBS = { group: 'batch', version: 'v1', resource: 'jobs' };

/** When the Job finished (ms since the epoch), or undefined while it runs. */
export function jobFinishTime(job: JobObject): number | undefined {
  const finished = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (finished?.lastTransitionTime === undefined) return undefined;
  const at = Date.parse(finished.lastTransitionTime);
  return Number.isNaN(at) ? undefined : at;
}

/** Milliseconds until the Job may be deleted (0 or less: now), or undefined when it has no TTL or has not finished. */
export function msUntilExpiry(job: JobObject, now: number): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata.deletionTimestamp !== undefined) return undefined;
  const finishedAt = jobFinishTime(job);
  return finishedAt === undefined ? undefined : finishedAt + ttl * 1000 - now;
}

/** The TTL-after-finished controller; see the module comment. */
export class TtlAfterFinishedController implements Controller {
  readonly #context: ControllerContext;
  readonly #jobs: SharedInformer<JobObject>;
  readonly #loop: WorkLoop;

  constructor(context: ControllerContext) {
    this.#context = context;
    this.#jobs = context.informers.informerFor<JobObject>(JOBS);
    this.#loop = new WorkLoop({ clock: context.clock, informers: [this.#jobs], sync: (key, signal) => this.sync(key, signal), log: context.log });
    const consider = (job: JobObject): void => {
      if (msUntilExpiry(job, context.clock.now()) !== undefined) this.#loop.enqueue(objectKey(job));
    };
    this.#jobs.addEventHandler({ onAdd: consider, onUpdate: (_old, job) => consider(job) });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.#loop.run(signal);
  }

  /** Deletes the Job at `key` if its TTL has run out, or checks again when it will. */
  async sync(key: string, signal?: AbortSignal): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.#jobs.lister.get(name, namespace);
    if (cached === undefined || !this.#expired(key, cached)) return;
    const target = { ...JOBS, namespace };
    let fresh: JobObject;
    try {
      fresh = await this.#context.client.get<JobObject>(target, name, { signal });
    } catch (err) {
      if (isStatusReason(err, 'NotFound')) return;
      throw err;
    }
    if (!this.#expired(key, fresh)) return;
    try {
      await this.#context.client.delete(target, name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata.uid }, signal });
    } catch (err) {
      if (!isStatusReason(err, 'NotFound') && !isStatusReason(err, 'Conflict')) throw err;
    }
  }

  /** True when `job` is due now; otherwise queues `key` for when it will be. */
  #expired(key: string, job: JobObject): boolean {
    const left = msUntilExpiry(job, this.#context.clock.now());
    if (left === undefined) return false;
    if (left > 0) {
      this.#loop.enqueueAfter(key, left);
      return false;
    }
    return true;
  }
}

/** The TTL-after-finished controller as the manager builds it. */
export const ttlAfterFinishedControllerDescriptor: ControllerDescriptor = {
  name: 'ttl-after-finished',
  create: (context) => new TtlAfterFinishedController(context),
};
