/**
 * The list-and-watch loop behind an informer, with client-go reflector semantics:
 * LIST (paged) to get a snapshot and its resourceVersion, then WATCH from that version
 * with bookmarks, resuming from the last version seen whenever a watch ends or fails
 * (after a backoff when it failed, or ended within a second bringing nothing), and relisting only when the
 * server says the version is gone (410). Every snapshot and event goes to a sink.
 */
import type { KubeList, KubeObject } from '../api/object.js';
import { StatusError } from '../api/status.js';
import { realClock, sleep } from './clock.js';
import type { Clock } from './clock.js';
import type { ResourceTarget } from './paths.js';
import { statusErrorFromStatus } from './responseErrors.js';
import type { RestClient } from './restClient.js';

/** Receives what the reflector learns, in order. */
export interface ReflectorSink<T extends KubeObject> {
  /** A full, consistent snapshot at `resourceVersion`: replace everything known. */
  replace(objects: T[], resourceVersion: string): void;
  /** One change from the watch. */
  apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: T): void;
}

/** How a reflector lists and watches. */
export interface ReflectorOptions {
  client: RestClient;
  target: ResourceTarget;
  labelSelector?: string;
  fieldSelector?: string;
  /** Objects per LIST page (default 500, as client-go's pager). 0 = no paging. */
  pageSize?: number;
  clock?: Clock;
  /** Watches last between this and twice this, server-enforced (default 300 s). */
  minWatchTimeoutSeconds?: number;
  /** First delay after a failure (default 800 ms), doubled per failure up to `maxBackoffMs` (30 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Told about every failed list or watch before the backoff (default: nothing). */
  onError?: (err: unknown) => void;
  /** Source of randomness for watch timeouts (default Math.random). */
  random?: () => number;
}

/** True for the errors that mean "this resourceVersion is no longer available". */
export function isResourceExpired(err: unknown): boolean {
  return err instanceof StatusError && (err.code === 410 || err.reason === 'Expired' || err.reason === 'Gone');
}

/** Keeps a sink in step with one resource on the server until stopped. */
export class Reflector<T extends KubeObject> {
  readonly #opts: ReflectorOptions;
  readonly #sink: ReflectorSink<T>;
  readonly #clock: Clock;
  #lastSyncResourceVersion = '';
  /** Set when a LIST at the last version was refused as expired: the next LIST reads the latest. */
  #lastVersionUnavailable = false;

  constructor(sink: ReflectorSink<T>, options: ReflectorOptions) {
    this.#sink = sink;
    this.#opts = options;
    this.#clock = options.clock ?? realClock;
  }

  /** The resourceVersion of the last snapshot, event or bookmark seen (`''` before the first list). */
  get lastSyncResourceVersion(): string {
    return this.#lastSyncResourceVersion;
  }

  /** Lists and watches until `signal` aborts; resolves then, leaving no request or timer behind. */
  async run(signal: AbortSignal): Promise<void> {
    const initialBackoff = this.#opts.initialBackoffMs ?? 800;
    const maxBackoff = this.#opts.maxBackoffMs ?? 30_000;
    let backoff = initialBackoff;
    let needList = true;
    while (!signal.aborted) {
      let failed = false;
      try {
        if (needList) {
          await this.#list(signal);
          needList = false;
          backoff = initialBackoff;
        }
        const started = this.#clock.now();
        const events = await this.#watch(signal);
        if (events > 0 || this.#clock.now() - started >= 1000) {
          // A watch that ran its course (server timeout): watch again at once.
          if (events > 0) backoff = initialBackoff;
          continue;
        }
      } catch (err) {
        if (signal.aborted) break;
        if (isResourceExpired(err)) {
          // Relist, after the current (not a grown) backoff so a server stuck on 410 is not hammered.
          needList = true;
        } else {
          failed = true;
          this.#opts.onError?.(err);
        }
      }
      // A failure, a 410, or a watch that ended within a second bringing nothing: wait before the next attempt.
      await sleep(this.#clock, backoff, signal);
      if (failed) backoff = Math.min(maxBackoff, backoff * 2);
    }
  }

  /** The version to LIST at: "0" (any cached state) at first, the last seen after, latest if that is gone. */
  #relistResourceVersion(): string {
    if (this.#lastVersionUnavailable) return '';
    return this.#lastSyncResourceVersion === '' ? '0' : this.#lastSyncResourceVersion;
  }

  async #list(signal: AbortSignal): Promise<void> {
    let resourceVersion = this.#relistResourceVersion();
    let snapshot: { items: T[]; resourceVersion: string };
    try {
      snapshot = await this.#pagedList(resourceVersion, signal);
    } catch (err) {
      if (!isResourceExpired(err) || resourceVersion === '') throw err;
      this.#lastVersionUnavailable = true;
      resourceVersion = '';
      snapshot = await this.#pagedList(resourceVersion, signal);
    }
    if (signal.aborted) return;
    this.#sink.replace(snapshot.items, snapshot.resourceVersion);
    this.#lastSyncResourceVersion = snapshot.resourceVersion;
    this.#lastVersionUnavailable = false;
  }

  /** All pages of a LIST; an expired continue token falls back to one unpaged LIST. */
  async #pagedList(resourceVersion: string, signal: AbortSignal): Promise<{ items: T[]; resourceVersion: string }> {
    const { client, target, labelSelector, fieldSelector } = this.#opts;
    const pageSize = this.#opts.pageSize ?? 500;
    const items: T[] = [];
    let listVersion = '';
    let continueToken: string | undefined;
    do {
      let page: KubeList<T>;
      try {
        page = await client.list<T>(target, {
          labelSelector,
          fieldSelector,
          limit: pageSize > 0 ? pageSize : undefined,
          resourceVersion: continueToken === undefined ? resourceVersion : undefined,
          continue: continueToken,
          signal,
        });
      } catch (err) {
        if (continueToken === undefined || !isResourceExpired(err)) throw err;
        const full = await client.list<T>(target, { labelSelector, fieldSelector, resourceVersion, signal });
        return { items: withKinds(full), resourceVersion: full.metadata.resourceVersion ?? '' };
      }
      for (const item of withKinds(page)) items.push(item);
      if (continueToken === undefined) listVersion = page.metadata.resourceVersion ?? '';
      continueToken = page.metadata.continue || undefined;
    } while (continueToken !== undefined && !signal.aborted);
    return { items, resourceVersion: listVersion };
  }

  /** One watch from the last seen version; resolves with how many events it brought. */
  async #watch(signal: AbortSignal): Promise<number> {
    const { client, target, labelSelector, fieldSelector } = this.#opts;
    const minTimeout = this.#opts.minWatchTimeoutSeconds ?? 300;
    const random = this.#opts.random ?? Math.random;
    const stream = await client.watch<T>(target, {
      labelSelector,
      fieldSelector,
      resourceVersion: this.#lastSyncResourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: Math.floor(minTimeout * (1 + random())),
      signal,
    });
    let count = 0;
    for await (const event of stream) {
      if (signal.aborted) break;
      count++;
      if (event.type === 'ERROR') throw statusErrorFromStatus(event.object as unknown as Record<string, unknown>);
      const version = event.object.metadata?.resourceVersion ?? '';
      if (event.type !== 'BOOKMARK') this.#sink.apply(event.type, event.object);
      if (version !== '') this.#lastSyncResourceVersion = version;
    }
    return count;
  }
}

/** List items come without kind and apiVersion; give them the list's. */
function withKinds<T extends KubeObject>(list: KubeList<T>): T[] {
  const kind = list.kind?.endsWith('List') ? list.kind.slice(0, -4) : undefined;
  for (const item of list.items ?? []) {
    if (item.kind === undefined && kind !== undefined) item.kind = kind;
    if (item.apiVersion === undefined && list.apiVersion !== undefined) item.apiVersion = list.apiVersion;
  }
  return list.items ?? [];
}
