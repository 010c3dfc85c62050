/**
 * namespaces/{name}/finalize: the one way to change a namespace's `spec.finalizers`,
 * used by the namespace controller once a terminating namespace is empty. Only the
 * finalizers of the body are taken; a terminating namespace left with none (and no
 * metadata finalizers) is removed.
 */
import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { badRequest, conflict, invalid, methodNotAllowed } from '../../../api/status.js';
import { decodeObject, readBody } from '../../http/body.js';
import { writeObject } from '../../http/respond.js';
import { validateNamespaceFinalizers } from '../../registry/core/namespaces.js';
import type { ResourceRequest } from '../context.js';
import { objectBody } from '../views.js';
import { requestKind, writeOptions } from '../writeOptions.js';

/** PUT /api/v1/namespaces/{name}/finalize: 200 with the namespace as it now is. */
export async function handleFinalize(r: ResourceRequest): Promise<void> {
  const { name, verb } = r.requestInfo;
  if (verb !== 'update') throw methodNotAllowed(verb, { group: '', resource: 'namespaces/finalize' });
  const options = writeOptions(r, 'UpdateOptions');
  const body = decodeObject(await readBody(r.req), r.req.headers['content-type'], requestKind(r)) as KubeObject & Namespace;
  if (body.metadata.name !== name) {
    throw badRequest(`the name of the object (${body.metadata.name ?? ''}) does not match the name on the URL (${name})`);
  }
  const finalizers = [...(body.spec?.finalizers ?? [])];
  const errors = validateNamespaceFinalizers(finalizers);
  if (errors.length > 0) throw invalid('Namespace', '', name, errors);
  const wanted = body.metadata.resourceVersion;
  const updated = await r.store.updateDirect(
    '',
    name,
    (current) => {
      if (wanted && wanted !== current.metadata.resourceVersion) throw conflict({ group: '', resource: 'namespaces' }, name);
      const spec = { ...(current.spec as object), finalizers };
      if (finalizers.length === 0) delete (spec as { finalizers?: string[] }).finalizers;
      current.spec = spec;
      return current;
    },
    options,
    'finalize',
  );
  writeObject(r.res, 200, objectBody(r, updated), r.view.kind === 'object' ? r.view.format : 'json');
}
