/**
 * Events a controller records about the objects it manages (upstream's
 * `record.EventRecorder` as the controller manager wires it): core/v1 Events with
 * `source.component` and `reportingComponent` set to the controller's component name.
 * Recording never blocks or throws: events are written in the background, in order,
 * and failures go to `onError` (events are best effort).
 */
import { randomBytes } from 'node:crypto';
import type { Event } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { Clock, RestClient } from '../../client/index.js';

/** The type of an event. */
export type EventType = 'Normal' | 'Warning';

/** Upstream's API time format: RFC 3339 in whole seconds, UTC. */
export function apiTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Writes Events about objects on behalf of one component; see the module comment. */
export class ControllerEventRecorder {
  readonly #client: RestClient;
  readonly #clock: Clock;
  readonly #component: string;
  readonly #onError: (err: unknown) => void;
  #pending: Promise<void> = Promise.resolve();

  constructor(client: RestClient, clock: Clock, component: string, onError: (err: unknown) => void) {
    this.#client = client;
    this.#clock = clock;
    this.#component = component;
    this.#onError = onError;
  }

  /** Queues an event of `type` with `reason` and `message` about `object` (which carries apiVersion and kind). */
  record(object: KubeObject, type: EventType, reason: string, message: string): void {
    const at = apiTime(this.#clock.now());
    const namespace = object.metadata.namespace ?? 'default';
    const event: Event & KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${object.metadata.name ?? ''}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: object.metadata.name,
        namespace,
        uid: object.metadata.uid,
        resourceVersion: object.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component: this.#component },
      reportingComponent: this.#component,
      count: 1,
      firstTimestamp: at,
      lastTimestamp: at,
    };
    this.#pending = this.#pending.then(async () => {
      try {
        await this.#client.create({ group: '', version: 'v1', resource: 'events', namespace }, event);
      } catch (err) {
        this.#onError(err);
      }
    });
  }

  /** Resolves once every event recorded so far was written (or failed). */
  flushed(): Promise<void> {
    return this.#pending;
  }
}
