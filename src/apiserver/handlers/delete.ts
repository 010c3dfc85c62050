/**
 * DELETE of one object or a collection, with DeleteOptions from the body or the
 * query (gracePeriodSeconds, preconditions, propagationPolicy, orphanDependents,
 * dryRun).
 */
import type { KubeObject } from '../../api/object.js';
import { isPlainObject } from '../../api/object.js';
import { badRequest, successStatus } from '../../api/status.js';
import type { DeleteOptions } from '../generic/resourceStore.js';
import { parseDocument, readBody } from '../http/body.js';
import { writeObject } from '../http/respond.js';
import type { ResourceRequest } from './context.js';
import { buildFilter } from './filter.js';
import { listBody, objectBody } from './views.js';
import { writeOptions } from './writeOptions.js';

/** Resources whose DELETE answers with the object rather than a Status, as upstream. */
const RETURNS_DELETED_OBJECT = new Set(['pods', 'services', 'namespaces']);

const PROPAGATION_POLICIES = ['Orphan', 'Background', 'Foreground'] as const;

/** Reads DeleteOptions from the body (if any) and the query. */
async function deleteOptions(r: ResourceRequest): Promise<DeleteOptions> {
  const body = await readBody(r.req);
  const fromBody: Record<string, unknown> = body.length > 0 ? toRecord(parseDocument(body, r.req.headers['content-type'])) : {};
  return deleteOptionsOf(fromBody, r.query);
}

/**
 * DeleteOptions from a decoded `metav1.DeleteOptions` body and the query parameters
 * (the body wins); 400 on malformed values. A dryRun in the body is added to the query.
 */
export function deleteOptionsOf(fromBody: Record<string, unknown>, query: URLSearchParams): DeleteOptions {
  const options: DeleteOptions = {};
  const grace = fromBody.gracePeriodSeconds ?? query.get('gracePeriodSeconds') ?? undefined;
  if (grace !== undefined && grace !== null) {
    const n = Number(grace);
    if (!Number.isInteger(n)) throw badRequest(`invalid gracePeriodSeconds: ${String(grace)}`);
    options.gracePeriodSeconds = Math.max(0, n);
  }
  const policy = fromBody.propagationPolicy ?? query.get('propagationPolicy') ?? undefined;
  if (policy !== undefined && policy !== null) {
    if (!PROPAGATION_POLICIES.includes(policy as DeleteOptions['propagationPolicy'] & string)) {
      throw badRequest(`propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Foreground", "Background", "Orphan"`);
    }
    options.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  }
  const orphan = fromBody.orphanDependents ?? query.get('orphanDependents') ?? undefined;
  if (orphan !== undefined && orphan !== null) options.orphanDependents = orphan === true || orphan === 'true';
  if (options.orphanDependents !== undefined && options.propagationPolicy !== undefined) {
    throw badRequest('Invalid value: orphanDependents and propagationPolicy cannot be both set');
  }
  if (isPlainObject(fromBody.preconditions)) {
    const { uid, resourceVersion } = fromBody.preconditions;
    options.preconditions = {
      ...(typeof uid === 'string' ? { uid } : {}),
      ...(typeof resourceVersion === 'string' ? { resourceVersion } : {}),
    };
  }
  if (Array.isArray(fromBody.dryRun) && fromBody.dryRun.length > 0) query.append('dryRun', String(fromBody.dryRun[0]));
  return options;
}

function toRecord(doc: unknown): Record<string, unknown> {
  if (!isPlainObject(doc)) throw badRequest('the body of the request must be a DeleteOptions object');
  return doc;
}

function deletedBody(r: ResourceRequest, obj: KubeObject, deleted: boolean): unknown {
  if (!deleted || RETURNS_DELETED_OBJECT.has(r.info.resource)) return objectBody(r, obj);
  return successStatus({
    name: obj.metadata.name ?? '',
    group: r.info.group,
    kind: r.info.resource,
    uid: obj.metadata.uid ?? '',
  });
}

/** DELETE /…/{resource}/{name}. */
export async function handleDelete(r: ResourceRequest): Promise<void> {
  const options = await deleteOptions(r);
  const ctx = writeOptions(r, 'DeleteOptions');
  const { namespace, name } = r.requestInfo;
  const result = await r.store.delete(namespace, name, options, ctx);
  writeObject(r.res, 200, deletedBody(r, result.object, result.deleted));
}

/** DELETE /…/{resource}: deletes every object matching the selectors; answers with the list of what it deleted, as upstream. */
export async function handleDeleteCollection(r: ResourceRequest): Promise<void> {
  const options = await deleteOptions(r);
  const ctx = writeOptions(r, 'DeleteOptions');
  const filter = buildFilter(r.query.get('labelSelector') ?? '', r.query.get('fieldSelector') ?? '', r.store.strategy);
  const { namespace } = r.requestInfo;
  const page = await r.store.list(r.store.listPrefix(namespace), filter !== undefined ? { predicate: filter } : {});
  const deleted: KubeObject[] = [];
  for (const obj of page.items) {
    try {
      deleted.push((await r.store.delete(obj.metadata.namespace ?? '', obj.metadata.name ?? '', options, ctx)).object);
    } catch (err) {
      // Objects deleted concurrently are fine; anything else fails the request.
      if (!(err instanceof Error && 'reason' in err && err.reason === 'NotFound')) throw err;
    }
  }
  writeObject(r.res, 200, listBody(r, deleted, { resourceVersion: String(page.revision) }));
}
