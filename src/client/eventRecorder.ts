/**
 * An event recorder for any component (kubelet, scheduler, controllers): Normal and
 * Warning core/v1 Events about an object, with the component as source. A repeat of
 * the same reason and message about the same object (and field path) bumps `count`
 * and `lastTimestamp` of the event already written, as upstream's correlator does,
 * instead of writing a new one. Recording never blocks the caller: events are written
 * in the background, one at a time in the order recorded (as upstream's broadcaster
 * does); failures go to `onError`, never thrown: events are best effort.
 */
import { randomBytes } from 'node:crypto';
import type { Event } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import { isStatusReason } from '../api/status.js';
import { apiTime } from '../api/time.js';
import type { Clock } from './clock.js';
import type { ResourceTarget } from './paths.js';
import type { RestClient } from './restClient.js';

/** The type of an event. */
export type EventType = 'Normal' | 'Warning';

/** The object an event is about: it must carry apiVersion and kind (informer objects do). */
export type EventObject = Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>;

/** Who records: upstream's `source.component` (e.g. kubelet, default-scheduler, deployment-controller) and host. */
export interface EventSource {
  component: string;
  /** The node, for node-local components. */
  host?: string;
}

const EVENTS = (namespace: string): ResourceTarget => ({ group: '', version: 'v1', resource: 'events', namespace });

interface Written {
  namespace: string;
  name: string;
  count: number;
}

/** Records events; see the module comment. */
export class EventRecorder {
  readonly #client: RestClient;
  readonly #clock: Clock;
  readonly #source: EventSource;
  readonly #onError: (err: unknown) => void;
  /** Per involved object uid, then `fieldPath/type/reason/message`: the event written for it. */
  readonly #written = new Map<string, Map<string, Written>>();
  #pending: Promise<void> = Promise.resolve();

  constructor(client: RestClient, clock: Clock, source: EventSource, onError: (err: unknown) => void) {
    this.#client = client;
    this.#clock = clock;
    this.#source = source;
    this.#onError = onError;
  }

  /** Queues `reason`/`message` about `object` (or its part at `fieldPath`, e.g. `spec.containers{web}`). */
  record(object: EventObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
    const at = this.#clock.now();
    this.#pending = this.#pending.then(() => this.#write(object, type, reason, message, fieldPath, at));
  }

  /** Resolves once every event recorded so far was written (or failed). */
  flushed(): Promise<void> {
    return this.#pending;
  }

  /** Forgets the events of an object that is gone (after the ones already queued are written). */
  forget(uid: string): void {
    this.#pending = this.#pending.then(() => void this.#written.delete(uid));
  }

  async #write(object: EventObject, type: EventType, reason: string, message: string, fieldPath: string | undefined, at: number): Promise<void> {
    const meta = object.metadata;
    const uid = meta.uid ?? '';
    const key = `${fieldPath ?? ''}/${type}/${reason}/${message}`;
    const now = apiTime(at);
    let perObject = this.#written.get(uid);
    if (perObject === undefined) this.#written.set(uid, (perObject = new Map()));
    try {
      const seen = perObject.get(key);
      if (seen !== undefined && (await this.#bump(seen, now))) return;
      // Events about cluster-scoped objects live in the default namespace, as upstream's do.
      const namespace = meta.namespace || 'default';
      const name = `${meta.name ?? ''}.${randomBytes(8).toString('hex')}`;
      const event: Event & Record<string, unknown> = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: object.apiVersion ?? '',
          kind: object.kind ?? '',
          name: meta.name ?? '',
          ...(meta.namespace ? { namespace: meta.namespace } : {}),
          uid,
          ...(meta.resourceVersion !== undefined ? { resourceVersion: meta.resourceVersion } : {}),
          ...(fieldPath !== undefined ? { fieldPath } : {}),
        },
        reason,
        message,
        type,
        source: { component: this.#source.component, ...(this.#source.host !== undefined ? { host: this.#source.host } : {}) },
        reportingComponent: this.#source.component,
        reportingInstance: this.#source.host ?? '',
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
      };
      await this.#client.create(EVENTS(namespace), event);
      perObject.set(key, { namespace, name, count: 1 });
    } catch (err) {
      this.#onError(err);
    }
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
