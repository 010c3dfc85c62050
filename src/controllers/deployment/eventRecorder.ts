/**
 * Events the Deployment controller records about its objects (core/v1 Events with
 * source `deployment-controller`, as upstream's recorder writes them). A repeat of the
 * same type, reason and message about the same object bumps `count` and
 * `lastTimestamp` of the event already written. Writing happens in the background,
 * in order; failures go to `onError`: events are best effort and never fail a sync.
 */
import { randomBytes } from 'node:crypto';
import type { Event } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isStatusReason } from '../../api/status.js';
import type { Clock, RestClient } from '../../client/index.js';
import { apiTime } from './conditions.js';

/** Upstream's event source of this controller. */
const COMPONENT = 'deployment-controller';

const EVENTS = (namespace: string) => ({ group: '', version: 'v1', resource: 'events', namespace });

interface Written {
  namespace: string;
  name: string;
  count: number;
}

/** Records Normal and Warning events about deployments; see the module comment. */
export class EventRecorder {
  readonly #client: RestClient;
  readonly #clock: Clock;
  readonly #onError: (err: unknown) => void;
  /** By `uid/type/reason/message`: the event written for it. */
  readonly #written = new Map<string, Written>();
  #pending: Promise<void> = Promise.resolve();

  constructor(client: RestClient, clock: Clock, onError: (err: unknown) => void) {
    this.#client = client;
    this.#clock = clock;
    this.#onError = onError;
  }

  /** Queues an event about `object` (of `apiVersion`/`kind`). */
  record(object: KubeObject, apiVersion: string, kind: string, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const at = apiTime(this.#clock.now());
    this.#pending = this.#pending.then(() => this.#write(object, apiVersion, kind, type, reason, message, at));
  }

  /** Resolves once every event recorded so far is written (or failed). */
  flushed(): Promise<void> {
    return this.#pending;
  }

  /** Forgets what was written about the object with `uid` (it is gone). */
  forget(uid: string): void {
    this.#pending = this.#pending.then(() => {
      for (const key of this.#written.keys()) if (key.startsWith(`${uid}/`)) this.#written.delete(key);
    });
  }

  async #write(object: KubeObject, apiVersion: string, kind: string, type: string, reason: string, message: string, at: string): Promise<void> {
    const { uid = '', namespace = 'default', name = '' } = object.metadata;
    const key = `${uid}/${type}/${reason}/${message}`;
    try {
      const seen = this.#written.get(key);
      if (seen !== undefined && (await this.#bump(seen, at))) return;
      const event: Event & KubeObject = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${name}.${randomBytes(8).toString('hex')}`, namespace },
        involvedObject: { apiVersion, kind, name, namespace, uid, resourceVersion: object.metadata.resourceVersion },
        reason,
        message,
        type,
        source: { component: COMPONENT },
        reportingComponent: COMPONENT,
        reportingInstance: '',
        count: 1,
        firstTimestamp: at,
        lastTimestamp: at,
      };
      const written = await this.#client.create(EVENTS(namespace), event);
      this.#written.set(key, { namespace, name: written.metadata.name ?? '', count: 1 });
    } catch (err) {
      this.#onError(err);
    }
  }

  async #bump(seen: Written, at: string): Promise<boolean> {
    try {
      await this.#client.patch(EVENTS(seen.namespace), seen.name, 'merge', { count: seen.count + 1, lastTimestamp: at });
      seen.count += 1;
      return true;
    } catch (err) {
      if (isStatusReason(err, 'NotFound')) return false;
      throw err;
    }
  }
}
