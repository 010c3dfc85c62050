/**
 * POST (create) and PUT (update, also of subresources like status) of objects,
 * with dryRun and the fieldManager that managedFields records.
 */
import type { IncomingMessage } from 'node:http';
import { apiVersionOf } from '../../api/resources.js';
import { badRequest, invalid, fieldError } from '../../api/status.js';
import type { WriteContext } from '../generic/resourceStore.js';
import { decodeObject, readBody } from '../http/body.js';
import { writeObject } from '../http/respond.js';
import type { ResourceRequest } from './context.js';
import { objectBody } from './views.js';

/** The field manager of a request: the fieldManager parameter or the User-Agent's program name. */
export function fieldManagerOf(query: URLSearchParams, req: IncomingMessage): string {
  const explicit = query.get('fieldManager');
  if (explicit !== null && explicit !== '') return explicit;
  const agent = req.headers['user-agent'] ?? 'unknown';
  return (agent.split('/')[0] ?? 'unknown').slice(0, 128);
}

/** dryRun, fieldManager and clock of a write request; validates `dryRun` values. */
export function writeContext(r: ResourceRequest): WriteContext {
  const dryRun = r.query.getAll('dryRun');
  for (const value of dryRun) {
    if (value !== 'All') {
      throw invalid('CreateOptions', 'meta.k8s.io', '', [fieldError.notSupported('dryRun', value, ['All'])]);
    }
  }
  const manager = fieldManagerOf(r.query, r.req);
  if (manager.length > 128) throw badRequest('fieldManager: Too long: must have at most 128 bytes');
  return { dryRun: dryRun.length > 0, fieldManager: manager, now: r.now };
}

/** The apiVersion/kind a body for this request must have. */
export function expectedType(r: ResourceRequest): { apiVersion: string; kind: string } {
  const { info } = r;
  const sub = info.subresources.find((s) => s.name === r.requestInfo.subresource);
  if (sub !== undefined && sub.name !== 'status') {
    return { apiVersion: apiVersionOf(sub.group ?? info.group, sub.version ?? info.version), kind: sub.kind };
  }
  return { apiVersion: apiVersionOf(info.group, info.version), kind: info.kind };
}

function format(r: ResourceRequest): 'json' | 'yaml' {
  return r.view.kind === 'object' ? r.view.format : 'json';
}

/** POST /…/{resource}. */
export async function handleCreate(r: ResourceRequest): Promise<void> {
  const ctx = writeContext(r);
  const obj = decodeObject(await readBody(r.req), r.req.headers['content-type'], expectedType(r));
  const created = await r.store.create(r.requestInfo.namespace, obj, ctx);
  writeObject(r.res, 201, objectBody(r, created), format(r));
}

/** PUT /…/{resource}/{name}[/status]. */
export async function handleUpdate(r: ResourceRequest): Promise<void> {
  const ctx = writeContext(r);
  const obj = decodeObject(await readBody(r.req), r.req.headers['content-type'], expectedType(r));
  const { namespace, name, subresource } = r.requestInfo;
  const updated = await r.store.update(namespace, name, obj, ctx, subresource);
  writeObject(r.res, 200, objectBody(r, updated), format(r));
}
