/**
 * PATCH in the four upstream flavours: JSON patch, JSON merge patch, strategic
 * merge patch and server-side apply, each applied to the current object inside the
 * generic store's optimistic-concurrency retry loop. Apply also creates objects
 * that do not exist yet.
 */
import type { KubeObject } from '../../api/object.js';
import { badRequest, fieldError, invalid, unsupportedMediaType } from '../../api/status.js';
import { applyPatch, parseApplyBody } from '../fieldmanager/index.js';
import { ignoredFieldsOf } from '../fieldmanager/reset-fields.js';
import { mediaType, parseDocument, readBody } from '../http/body.js';
import { writeObject } from '../http/respond.js';
import { toServedShape, toStoredShape } from '../registry/shapes.js';
import { patchSchemaOfKind } from '../openapi/patchSchemas.js';
import { pruneUnknownFields } from '../openapi/unknownFields.js';
import { applyPatchOfType, isNonApplyPatchType, NON_APPLY_PATCH_TYPES } from '../patch/index.js';
import type { ResourceRequest } from './context.js';
import { objectBody } from './views.js';
import { requestKind, validateFields, writeOptions, type WriteOptions } from './writeOptions.js';

const APPLY_PATCH = 'application/apply-patch+yaml';
const PATCH_TYPES = [...NON_APPLY_PATCH_TYPES, APPLY_PATCH];

/** PATCH /…/{resource}/{name}[/subresource]. */
export async function handlePatch(r: ResourceRequest): Promise<void> {
  const options = writeOptions(r, 'PatchOptions');
  const type = mediaType(r.req.headers['content-type']);
  if (type === APPLY_PATCH) return serverSideApply(r, await readBody(r.req), options);
  if (!isNonApplyPatchType(type)) throw unsupportedMediaType(type, PATCH_TYPES);
  const body = await readBody(r.req);
  if (r.query.has('force')) {
    throw invalid('PatchOptions', 'meta.k8s.io', '', [fieldError.forbidden('force', 'may not be specified for non-apply patch')]);
  }
  const patch = parseDocument(body, 'application/json');
  const schema = patchSchemaOfKind(requestKind(r));
  const produce = (current: KubeObject): KubeObject => {
    const result = applyPatchOfType(type, toServedShape(r.info, current), patch, schema);
    validateFields(r, result, options.fieldValidation);
    return toStoredShape(r.info, result);
  };
  const { namespace, name, subresource } = r.requestInfo;
  const updated = await r.store.updateWith(namespace, name, produce, options, subresource);
  writeObject(r.res, 200, objectBody(r, updated), r.view.kind === 'object' ? r.view.format : 'json');
}

async function serverSideApply(r: ResourceRequest, body: Buffer, options: WriteOptions): Promise<void> {
  if (!options.explicitManager) {
    throw invalid('PatchOptions', 'meta.k8s.io', '', [fieldError.required('fieldManager', 'is required for apply patch')]);
  }
  const config = parseApplyBody(body.toString('utf8'));
  const kind = requestKind(r);
  const undeclared = pruneUnknownFields(structuredClone(config), kind);
  if (undeclared.length > 0) {
    const gvk = `${kind.group}/${kind.version}, Kind=${kind.kind}`;
    throw badRequest(`failed to create typed patch object (${gvk}): ${undeclared.map((path) => `.${path}: field not declared in schema`).join(', ')}`);
  }
  const { namespace, name, subresource } = r.requestInfo;
  const applyOptions = {
    manager: options.fieldManager,
    force: options.force,
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    schema: patchSchemaOfKind(kind),
    ignoredFields: ignoredFieldsOf(r.info, subresource),
    now: () => r.now,
    ...(subresource !== '' ? { subresource } : {}),
  };
  const produce = (current: KubeObject | undefined): KubeObject => {
    const metadata = config.metadata as { name?: unknown } | undefined;
    if (current === undefined && metadata?.name !== name) {
      throw badRequest(`the name of the object (${String(metadata?.name ?? '')}) does not match the name on the URL (${name})`);
    }
    const served = current === undefined ? undefined : toServedShape(r.info, current);
    return toStoredShape(r.info, applyPatch(served, config, applyOptions).object);
  };
  const { object, created } = await r.store.upsertWith(namespace, name, produce, { ...options, applied: true }, subresource);
  writeObject(r.res, created ? 201 : 200, objectBody(r, object), r.view.kind === 'object' ? r.view.format : 'json');
}
