/**
 * The kubelet's event recorder: Warning/Normal core/v1 Events about its pods, with
 * `source.component` kubelet and the node as host. A repeat of the same reason and
 * message for the same pod bumps `count` and `lastTimestamp` of the event already
 * written (as upstream's correlator does) instead of writing a new one. Recording
 * never blocks the caller: events are written in the background, one at a time in the
 * order recorded (as upstream's broadcaster does); failures are told to `onError`,
 * never thrown: events are best effort.
 */
import { randomBytes } from 'node:crypto';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import { isStatusReason } from '../api/status.js';
import type { Clock, ResourceTarget, RestClient } from '../client/index.js';
import { apiTime } from './pod/podHelpers.js';

/** The type of an event. */
export type EventType = 'Normal' | 'Warning';

/** What an event is about: a pod, or one of its containers by name. */
export interface EventSubject {
  pod: Pod;
  containerName?: string;
}

/** The field path of container `name` of `pod`: spec.containers{name}, spec.initContainers{name}, … */
function containerFieldPath(pod: Pod, name: string): string {
  if (pod.spec?.initContainers?.some((c) => c.name === name)) return `spec.initContainers{${name}}`;
  if (pod.spec?.ephemeralContainers?.some((c) => c.name === name)) return `spec.ephemeralContainers{${name}}`;
  return `spec.containers{${name}}`;
}

const EVENTS = (namespace: string): ResourceTarget => ({ group: '', version: 'v1', resource: 'events', namespace });

interface Written {
  namespace: string;
  name: string;
  count: number;
}

/** Records events about pods; see the module comment. */
export class PodEventRecorder {
  readonly #client: RestClient;
  readonly #clock: Clock;
  readonly #nodeName: string;
  readonly #onError: (err: unknown) => void;
  /** Per pod uid, then `type/reason/message`: the event written for it. */
  readonly #written = new Map<string, Map<string, Written>>();
  #pending: Promise<void> = Promise.resolve();

  constructor(client: RestClient, clock: Clock, nodeName: string, onError: (err: unknown) => void) {
    this.#client = client;
    this.#clock = clock;
    this.#nodeName = nodeName;
    this.#onError = onError;
  }

  /** Queues `reason`/`message` about `pod`, or about its container `containerName` (involvedObject.fieldPath). */
  record(pod: Pod, type: EventType, reason: string, message: string, containerName?: string): void {
    const at = this.#clock.now();
    this.#pending = this.#pending.then(() => this.#write(pod, type, reason, message, containerName, at));
  }

  /** Resolves once every event recorded so far was written (or failed). */
  flushed(): Promise<void> {
    return this.#pending;
  }

  async #write(pod: Pod, type: EventType, reason: string, message: string, containerName: string | undefined, at: number): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const fieldPath = containerName !== undefined ? containerFieldPath(pod, containerName) : undefined;
    const key = `${fieldPath ?? ''}/${type}/${reason}/${message}`;
    const now = apiTime(at);
    let perPod = this.#written.get(uid);
    if (perPod === undefined) this.#written.set(uid, (perPod = new Map()));
    try {
      const seen = perPod.get(key);
      if (seen !== undefined && (await this.#bump(seen, now))) return;
      const namespace = pod.metadata?.namespace ?? '';
      const name = `${pod.metadata?.name ?? ''}.${randomBytes(8).toString('hex')}`;
      const event: Event & Record<string, unknown> = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', namespace, uid, ...(pod.metadata?.resourceVersion !== undefined ? { resourceVersion: pod.metadata.resourceVersion } : {}), ...(fieldPath !== undefined ? { fieldPath } : {}) },
        reason,
        message,
        type,
        source: { component: 'kubelet', host: this.#nodeName },
        reportingComponent: 'kubelet',
        reportingInstance: this.#nodeName,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
      };
      await this.#client.create(EVENTS(namespace), event);
      perPod.set(key, { namespace, name, count: 1 });
    } catch (err) {
      this.#onError(err);
    }
  }

  /** Forgets the events of a pod that is gone (after the ones already queued are written). */
  forget(uid: string): void {
    this.#pending = this.#pending.then(() => void this.#written.delete(uid));
  }

  /** Bumps an event already written; false when it is gone (write a new one). */
  async #bump(seen: Written, now: string): Promise<boolean> {
    try {
      await this.#client.patch(EVENTS(seen.namespace), seen.name, 'merge', { count: seen.count + 1, lastTimestamp: now });
      seen.count += 1;
      return true;
    } catch (err) {
      if (isStatusReason(err, 'NotFound')) return false;
      throw err;
    }
  }
}
