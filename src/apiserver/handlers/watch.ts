/**
 * WATCH: a stream of newline-delimited `{type, object}` events from the watch cache,
 * filtered per watcher (an object leaving the selection is a DELETED, entering an
 * ADDED, as upstream's cacher does). Initial state as synthetic ADDED events for
 * resourceVersion unset/"0" or sendInitialEvents; resuming from older revisions
 * than the cache holds falls back to a storage watch; bookmarks; timeouts.
 */
import type { KubeObject } from '../../api/object.js';
import { deepCopy } from '../../api/object.js';
import { apiVersionOf } from '../../api/resources.js';
import { resourceVersionTooOld } from '../../api/status.js';
import type { StoreEvent } from '../../storage/store.js';
import type { StorageError } from '../../storage/store.js';
import { TooOldRevisionError } from '../watchcache/watchCache.js';
import type { ResourceRequest } from './context.js';
import type { ObjectFilter } from './filter.js';
import { buildFilter } from './filter.js';
import { parseListParams } from './listParams.js';
import { objectBody } from './views.js';

/** How often bookmarks are sent to watchers that allow them. */
const BOOKMARK_INTERVAL_MS = 30_000;
/** A watcher whose unsent output exceeds this is too slow and is closed. */
const MAX_PENDING_BYTES = 32 * 1024 * 1024;
/** Upstream's minimum request timeout; watches end after 1–2× this without a timeoutSeconds. */
const MIN_REQUEST_TIMEOUT_S = 1800;

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** The event a filtered watcher sees for a store event, if any. */
function translate(event: StoreEvent, filter: ObjectFilter | undefined): { type: EventType; object: KubeObject } | undefined {
  if (filter === undefined) return { type: event.type, object: event.object };
  const now = filter(event.object);
  const before = event.prevObject !== undefined && filter(event.prevObject);
  switch (event.type) {
    case 'ADDED':
      return now ? { type: 'ADDED', object: event.object } : undefined;
    case 'DELETED':
      return now ? { type: 'DELETED', object: event.object } : undefined;
    case 'MODIFIED': {
      if (now && before) return { type: 'MODIFIED', object: event.object };
      if (now) return { type: 'ADDED', object: event.object };
      if (before && event.prevObject !== undefined) {
        const gone = deepCopy(event.prevObject);
        gone.metadata.resourceVersion = event.object.metadata.resourceVersion;
        return { type: 'DELETED', object: gone };
      }
      return undefined;
    }
  }
}

/** GET /…/{resource}?watch=1 (or /…/{resource}/{name}?watch=1). */
export async function handleWatch(r: ResourceRequest): Promise<void> {
  const params = parseListParams(r.query, 'watch');
  const nameFilter = r.requestInfo.name;
  const selectorFilter = buildFilter(params.labelSelector, params.fieldSelector, r.store.strategy);
  const filter: ObjectFilter | undefined =
    nameFilter === ''
      ? selectorFilter
      : (obj) => obj.metadata.name === nameFilter && (selectorFilter === undefined || selectorFilter(obj));
  const { cache, info } = r.store;
  const prefix = r.store.listPrefix(r.requestInfo.namespace);
  const { res } = r;
  await cache.ready();

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();

  let closed = false;
  const cleanups: (() => void)[] = [];
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const cleanup of cleanups) cleanup();
    res.end();
  };
  const send = (type: EventType, object: unknown): void => {
    if (closed) return;
    res.write(`${JSON.stringify({ type, object })}\n`);
    if (res.writableLength > MAX_PENDING_BYTES) close();
  };
  const sendObject = (type: EventType, obj: KubeObject): void => send(type, objectBody(r, obj));
  const bookmark = (revision: number, initialEventsEnd = false): void => {
    const metadata: Record<string, unknown> = { resourceVersion: String(revision) };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    send('BOOKMARK', { kind: info.kind, apiVersion: apiVersionOf(info.group, info.version), metadata });
  };

  const rv = params.resourceVersion;
  const initialEvents = params.sendInitialEvents ?? (rv === undefined || rv === '0');
  let after: number;
  if (initialEvents) {
    if (rv !== undefined && rv !== '0') await cache.waitForRevision(Number(rv), 3000);
    after = cache.revision;
    for (const obj of cache.list(prefix, filter)) sendObject('ADDED', obj);
    if (params.sendInitialEvents === true) bookmark(after, true);
  } else {
    after = Number(rv);
  }

  let lastRevision = after;
  const deliver = (event: StoreEvent): void => {
    if (event.revision <= lastRevision || !event.key.startsWith(prefix)) return;
    lastRevision = event.revision;
    const out = translate(event, filter);
    if (out !== undefined) sendObject(out.type, out.object);
  };
  try {
    const subscription = cache.watch(after, { onEvent: deliver, onClose: close });
    cleanups.push(() => subscription.stop());
  } catch (err) {
    if (!(err instanceof TooOldRevisionError)) throw err;
    // Older than the cache's window: serve this watcher straight from storage history.
    const storageWatch = r.store.watchStorage(prefix, after, {
      onEvents: (events) => events.forEach(deliver),
      onError: (storageErr: StorageError) => {
        if (storageErr.kind === 'Compacted') send('ERROR', resourceVersionTooOld(after, storageErr.revision ?? 0).toStatus());
        close();
      },
    });
    cleanups.push(() => storageWatch.stop());
  }

  if (params.allowWatchBookmarks) {
    const timer = setInterval(() => bookmark(Math.max(lastRevision, cache.revision)), BOOKMARK_INTERVAL_MS);
    cleanups.push(() => clearInterval(timer));
  }
  const timeoutMs = (params.timeoutSeconds || MIN_REQUEST_TIMEOUT_S * (1 + Math.random())) * 1000;
  const timeout = setTimeout(close, timeoutMs);
  cleanups.push(() => clearTimeout(timeout));
  r.signal.addEventListener('abort', close, { once: true });
  r.req.once('close', close);
  res.once('close', close);
}
