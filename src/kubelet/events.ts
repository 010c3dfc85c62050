/**
 * The kubelet's event recorder: writes core/v1 Events about pods and their
 * containers (involvedObject fieldPath `spec.containers{name}`, source kubelet on
 * this host). A repeat of the same event (same object, type, reason and message)
 * bumps the first one's count and lastTimestamp instead of making a new one.
 * Recording never blocks the caller and never fails it: errors go to `onError`.
 */
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import type { Clock, ResourceTarget, RestClient } from '../client/index.js';
import { apiTime } from './pod/podHelpers.js';

/** Normal or Warning. */
export type EventType = 'Normal' | 'Warning';

/** Where an event is about: a pod, or one of its containers by name. */
export interface EventSubject {
  pod: Pod;
  containerName?: string;
}

const EVENTS = (namespace: string): ResourceTarget => ({ group: '', version: 'v1', resource: 'events', namespace });
const MAX_REMEMBERED = 4096;

/** The field path of a container of `pod`: spec.containers{name}, spec.initContainers{name}, … */
function containerFieldPath(pod: Pod, name: string): string {
  if (pod.spec?.initContainers?.some((c) => c.name === name)) return `spec.initContainers{${name}}`;
  if (pod.spec?.ephemeralContainers?.some((c) => c.name === name)) return `spec.ephemeralContainers{${name}}`;
  return `spec.containers{${name}}`;
}

/** Records events for one kubelet. */
export class EventRecorder {
  readonly #client: RestClient;
  readonly #clock: Clock;
  readonly #host: string;
  readonly #onError: (err: unknown) => void;
  /** Per aggregation key: the event's name, namespace and count. */
  readonly #seen = new Map<string, { name: string; namespace: string; count: number }>();
  #sequence = 0;
  #pending: Promise<void> = Promise.resolve();

  constructor(client: RestClient, clock: Clock, host: string, onError: (err: unknown) => void) {
    this.#client = client;
    this.#clock = clock;
    this.#host = host;
    this.#onError = onError;
  }

  /** Queues an event about `subject`; events are written one at a time, in order. */
  record(subject: EventSubject, type: EventType, reason: string, message: string): void {
    this.#pending = this.#pending.then(() => this.#write(subject, type, reason, message)).catch((err: unknown) => this.#onError(err));
  }

  /** Resolves when every queued event has been written (or failed). */
  flushed(): Promise<void> {
    return this.#pending;
  }

  async #write(subject: EventSubject, type: EventType, reason: string, message: string): Promise<void> {
    const meta = subject.pod.metadata ?? {};
    const namespace = meta.namespace ?? 'default';
    const fieldPath = subject.containerName !== undefined ? containerFieldPath(subject.pod, subject.containerName) : undefined;
    const key = JSON.stringify([meta.uid, fieldPath, type, reason, message]);
    const now = apiTime(this.#clock.now());
    const seen = this.#seen.get(key);
    if (seen !== undefined) {
      seen.count++;
      try {
        await this.#client.patch(EVENTS(seen.namespace), seen.name, 'merge', { count: seen.count, lastTimestamp: now });
        return;
      } catch {
        this.#seen.delete(key);
      }
    }
    const name = `${meta.name ?? 'pod'}.${(BigInt(this.#clock.now()) * 1_000_000n + BigInt(this.#sequence++ % 1_000_000)).toString(16)}`;
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        name: meta.name,
        namespace,
        uid: meta.uid,
        ...(meta.resourceVersion !== undefined ? { resourceVersion: meta.resourceVersion } : {}),
        ...(fieldPath !== undefined ? { fieldPath } : {}),
      },
      reason,
      message,
      type,
      source: { component: 'kubelet', host: this.#host },
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      reportingComponent: 'kubelet',
      reportingInstance: this.#host,
    };
    await this.#client.create(EVENTS(namespace), event as unknown as KubeObject);
    if (this.#seen.size >= MAX_REMEMBERED) this.#seen.delete(this.#seen.keys().next().value as string);
    this.#seen.set(key, { name, namespace, count: 1 });
  }
}
