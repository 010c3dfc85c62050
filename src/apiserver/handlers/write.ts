/**
 * POST (create) and PUT (update, also of subresources like status) of objects, with
 * dryRun, field validation and the fieldManager that managedFields records.
 */
import { decodeObject, readBody } from '../http/body.js';
import { writeObject } from '../http/respond.js';
import { toStoredShape } from '../registry/shapes.js';
import type { ResourceRequest } from './context.js';
import { objectBody } from './views.js';
import { requestKind, validateFields, writeOptions } from './writeOptions.js';

function format(r: ResourceRequest): 'json' | 'yaml' {
  return r.view.kind === 'object' ? r.view.format : 'json';
}

/** POST /…/{resource}. */
export async function handleCreate(r: ResourceRequest): Promise<void> {
  const options = writeOptions(r, 'CreateOptions');
  const obj = decodeObject(await readBody(r.req), r.req.headers['content-type'], requestKind(r));
  validateFields(r, obj, options.fieldValidation);
  const created = await r.store.create(r.requestInfo.namespace, toStoredShape(r.info, obj), options);
  writeObject(r.res, 201, objectBody(r, created), format(r));
}

/** PUT /…/{resource}/{name}[/status]. */
export async function handleUpdate(r: ResourceRequest): Promise<void> {
  const options = writeOptions(r, 'UpdateOptions');
  const obj = decodeObject(await readBody(r.req), r.req.headers['content-type'], requestKind(r));
  validateFields(r, obj, options.fieldValidation);
  const { namespace, name, subresource } = r.requestInfo;
  const updated = await r.store.update(namespace, name, toStoredShape(r.info, obj), options, subresource);
  writeObject(r.res, 200, objectBody(r, updated), format(r));
}
