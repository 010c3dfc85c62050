/**
 * PATCH in the four upstream flavours: JSON patch, JSON merge patch, strategic
 * merge patch and server-side apply, each applied to the current object inside the
 * generic store's optimistic-concurrency retry loop.
 */
import type { KubeObject } from '../../api/object.js';
import { unsupportedMediaType } from '../../api/status.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../patch/index.js';
import { mediaType, parseDocument, readBody } from '../http/body.js';
import { writeObject } from '../http/respond.js';
import type { ResourceRequest } from './context.js';
import { patchSchemaFor } from './patchSchema.js';
import { objectBody } from './views.js';
import { writeContext } from './write.js';

const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

/** PATCH /…/{resource}/{name}[/subresource]. */
export async function handlePatch(r: ResourceRequest): Promise<void> {
  const ctx = writeContext(r);
  const type = mediaType(r.req.headers['content-type']);
  if (!PATCH_TYPES.includes(type)) throw unsupportedMediaType(type, PATCH_TYPES);
  const body = await readBody(r.req);
  const patch = parseDocument(body, type === 'application/apply-patch+yaml' ? 'application/yaml' : 'application/json');
  const { namespace, name, subresource } = r.requestInfo;
  let produce: (current: KubeObject) => KubeObject;
  switch (type) {
    case 'application/json-patch+json':
      produce = (current) => applyJsonPatch(current, patch);
      break;
    case 'application/merge-patch+json':
      produce = (current) => applyMergePatch(current, patch);
      break;
    default: {
      const schema = patchSchemaFor(r.info);
      produce = (current) => applyStrategicMergePatch(current, patch, schema);
    }
  }
  const updated = await r.store.updateWith(namespace, name, produce, ctx, subresource);
  writeObject(r.res, 200, objectBody(r, updated), r.view.kind === 'object' ? r.view.format : 'json');
}
