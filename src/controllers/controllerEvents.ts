/**
 * Events a controller records about the objects it manages (upstream's event recorder
 * with `source.component` set to the controller's name, as kube-controller-manager
 * does). Recording never blocks and never fails the caller: events are written in the
 * background, in the order recorded; a failed write is logged and dropped.
 */
import { randomBytes } from 'node:crypto';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import type { Clock, RestClient } from '../client/index.js';

/** The type of an event. */
export type EventType = 'Normal' | 'Warning';

const apiTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** Writes core/v1 Events about objects; see the module comment. */
export class ControllerEventRecorder {
  readonly #client: RestClient;
  readonly #clock: Clock;
  readonly #component: string;
  readonly #log: (message: string) => void;
  #pending: Promise<void> = Promise.resolve();

  /** `component` is the event source (e.g. `statefulset-controller`). */
  constructor(client: RestClient, clock: Clock, component: string, log: (message: string) => void) {
    this.#client = client;
    this.#clock = clock;
    this.#component = component;
    this.#log = log;
  }

  /** Queues an event about `object` (whose apiVersion and kind are given, as informers drop them). */
  record(object: KubeObject, apiVersion: string, kind: string, type: EventType, reason: string, message: string): void {
    const at = apiTime(this.#clock.now());
    const involved: ObjectReference = { apiVersion, kind, name: object.metadata.name ?? '', namespace: object.metadata.namespace ?? '', uid: object.metadata.uid ?? '' };
    if (object.metadata.resourceVersion !== undefined) involved.resourceVersion = object.metadata.resourceVersion;
    this.#pending = this.#pending.then(() => this.#write(involved, type, reason, message, at));
  }

  /** Resolves once every event recorded so far was written (or dropped). */
  flushed(): Promise<void> {
    return this.#pending;
  }

  async #write(involvedObject: ObjectReference, type: EventType, reason: string, message: string, at: string): Promise<void> {
    const namespace = involvedObject.namespace || 'default';
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${involvedObject.name ?? ''}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject,
      reason,
      message,
      type,
      source: { component: this.#component },
      reportingComponent: this.#component,
      count: 1,
      firstTimestamp: at,
      lastTimestamp: at,
    };
    try {
      await this.#client.create({ group: '', version: 'v1', resource: 'events', namespace }, event);
    } catch (err) {
      this.#log(`event ${reason} about ${involvedObject.kind} ${namespace}/${involvedObject.name ?? ''} not written: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
