/**
 * The scheduler's event recorder: core/v1 Events about pods from component
 * default-scheduler (Scheduled, FailedScheduling, Preempted). A repeat of the same
 * type, reason and message for the same pod bumps `count` and `lastTimestamp` of the
 * event already written. Events are written in the background, in order; failures go
 * to `onError`, never to the caller: events are best effort.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import { isStatusReason } from '../api/status.js';
import type { Clock, ResourceTarget, RestClient } from '../client/index.js';

/** The component name the scheduler's events carry. */
export const SCHEDULER_COMPONENT = 'default-scheduler';

const EVENTS = (namespace: string): ResourceTarget => ({ group: '', version: 'v1', resource: 'events', namespace });

const apiTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

interface Written {
  name: string;
  count: number;
}

/** See the module comment. */
export class SchedulerEventRecorder {
  readonly #client: RestClient;
  readonly #clock: Clock;
  readonly #onError: (err: unknown) => void;
  readonly #instance = `${SCHEDULER_COMPONENT}-${hostname()}`;
  /** By pod uid and `type/reason/message`: the event written. */
  readonly #written = new Map<string, Map<string, Written>>();
  #pending: Promise<void> = Promise.resolve();

  constructor(client: RestClient, clock: Clock, onError: (err: unknown) => void) {
    this.#client = client;
    this.#clock = clock;
    this.#onError = onError;
  }

  /** Queues an event about `pod`; `action` is the events.k8s.io action (Scheduling, Binding, Preempting). */
  record(pod: Pod, type: 'Normal' | 'Warning', reason: string, action: string, message: string): void {
    const at = this.#clock.now();
    this.#pending = this.#pending.then(() => this.#write(pod, type, reason, action, message, at));
  }

  /** Resolves once every event recorded so far was written (or failed). */
  flushed(): Promise<void> {
    return this.#pending;
  }

  /** Forgets the events of a pod that is gone. */
  forget(uid: string): void {
    this.#written.delete(uid);
  }

  async #write(pod: Pod, type: string, reason: string, action: string, message: string, at: number): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const namespace = pod.metadata?.namespace ?? '';
    const key = `${type}/${reason}/${message}`;
    const now = apiTime(at);
    let perPod = this.#written.get(uid);
    if (perPod === undefined) this.#written.set(uid, (perPod = new Map()));
    try {
      const seen = perPod.get(key);
      if (seen !== undefined && (await this.#bump(namespace, seen, now))) return;
      const name = `${pod.metadata?.name ?? ''}.${randomBytes(8).toString('hex')}`;
      const event: Event = {
        metadata: { name, namespace },
        involvedObject: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', namespace, uid, ...(pod.metadata?.resourceVersion ? { resourceVersion: pod.metadata.resourceVersion } : {}) },
        reason,
        message,
        type,
        action,
        source: { component: SCHEDULER_COMPONENT },
        reportingComponent: SCHEDULER_COMPONENT,
        reportingInstance: this.#instance,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
      };
      await this.#client.create(EVENTS(namespace), { apiVersion: 'v1', kind: 'Event', ...event } as KubeObject);
      perPod.set(key, { name, count: 1 });
    } catch (err) {
      this.#onError(err);
    }
  }

  async #bump(namespace: string, seen: Written, now: string): Promise<boolean> {
    try {
      await this.#client.patch(EVENTS(namespace), seen.name, 'merge', { count: seen.count + 1, lastTimestamp: now });
      seen.count += 1;
      return true;
    } catch (err) {
      if (isStatusReason(err, 'NotFound')) return false;
      throw err;
    }
  }
}
