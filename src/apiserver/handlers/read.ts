/**
 * GET of one object and LIST of a collection, with upstream resourceVersion
 * semantics: unset = a consistent read from storage; "0" = whatever the watch cache
 * holds; N with NotOlderThan = the cache once it has caught up, else storage;
 * N with Exact = storage at revision N. Paginated lists read storage at one revision.
 */
import { StatusError, badRequest, resourceVersionTooOld } from '../../api/status.js';
import type { KubeObject } from '../../api/object.js';
import { StorageError } from '../../storage/store.js';
import { writeObject } from '../http/respond.js';
import type { ResourceRequest } from './context.js';
import { buildFilter } from './filter.js';
import { parseListParams } from './listParams.js';
import type { ListMeta } from './views.js';
import { listBody, objectBody } from './views.js';

function format(r: ResourceRequest): 'json' | 'yaml' {
  return r.view.kind === 'object' ? r.view.format : 'json';
}

/** GET /…/{resource}/{name}[/status]. */
export async function handleGet(r: ResourceRequest): Promise<void> {
  const { namespace, name } = r.requestInfo;
  const rv = r.query.get('resourceVersion');
  let obj: KubeObject | undefined;
  if (rv === '0') obj = r.store.cache.get(r.store.key(namespace, name));
  obj ??= await r.store.get(namespace, name);
  writeObject(r.res, 200, objectBody(r, obj), format(r));
}

/** Maps storage read failures of a list to upstream API errors. */
function listError(err: unknown): unknown {
  if (!(err instanceof StorageError)) return err;
  if (err.kind === 'Compacted') {
    return new StatusError(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
  }
  if (err.kind === 'FutureRevision') {
    return new StatusError(504, 'Timeout', `Too large resource version: ${err.key}, current: ${err.revision ?? 0}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    });
  }
  if (err.message.includes('continue')) return badRequest(err.message);
  return err;
}

/** GET /…/{resource}: a list in the negotiated view. */
export async function handleList(r: ResourceRequest): Promise<void> {
  const params = parseListParams(r.query, 'list');
  const filter = buildFilter(params.labelSelector, params.fieldSelector, r.store.strategy);
  const prefix = r.store.listPrefix(r.requestInfo.namespace);
  const { cache } = r.store;
  const fromCache =
    params.continueToken === undefined &&
    params.resourceVersionMatch !== 'Exact' &&
    params.resourceVersion !== undefined &&
    (params.resourceVersion === '0' || cache.revision >= Number(params.resourceVersion));
  let items: KubeObject[];
  let meta: ListMeta;
  if (fromCache) {
    await cache.ready();
    items = cache.list(prefix, filter);
    meta = { resourceVersion: String(cache.revision) };
  } else {
    try {
      const exact = params.resourceVersionMatch === 'Exact' ? Number(params.resourceVersion) : undefined;
      if (params.resourceVersion !== undefined && exact === undefined && params.continueToken === undefined) {
        // NotOlderThan N beyond what the cache has seen: a current read satisfies it if N exists.
        const current = await r.store.currentRevisionOfStorage();
        if (Number(params.resourceVersion) > current) {
          throw new StorageError('FutureRevision', params.resourceVersion, undefined, current);
        }
      }
      const page = await r.store.list(prefix, {
        ...(params.limit > 0 ? { limit: params.limit } : {}),
        ...(params.continueToken !== undefined ? { continue: params.continueToken } : {}),
        ...(exact !== undefined ? { revision: exact } : {}),
        ...(filter !== undefined ? { predicate: filter } : {}),
      });
      items = page.items;
      meta = { resourceVersion: String(page.revision) };
      if (page.continue !== undefined) meta.continue = page.continue;
      if (page.remainingItemCount !== undefined && filter === undefined) meta.remainingItemCount = page.remainingItemCount;
    } catch (err) {
      if (err instanceof StorageError && err.kind === 'Compacted' && params.continueToken === undefined) {
        throw resourceVersionTooOld(Number(params.resourceVersion), err.revision ?? 0);
      }
      throw listError(err);
    }
  }
  writeObject(r.res, 200, listBody(r, items, meta), format(r));
}
