/**
 * pods/binding (and the namespaced `bindings` collection, which names the pod in the
 * Binding's metadata): what a scheduler POSTs to assign a pod to a node. Sets
 * `spec.nodeName`, merges the Binding's annotations and marks the pod scheduled;
 * a pod already assigned or being deleted is a Conflict, as upstream.
 */
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { isPlainObject, type Writable } from '../../../api/object.js';
import { badRequest, conflict, fieldError, invalid, successStatus, type FieldError } from '../../../api/status.js';
import { formatTime } from '../../generic/objectMetaFill.js';
import { decodeObject, readBody } from '../../http/body.js';
import { writeObject } from '../../http/respond.js';
import type { ResourceRequest } from '../context.js';
import { requestKind, writeOptions } from '../writeOptions.js';

const BINDING_RESOURCE = { group: '', resource: 'pods/binding' };

function validateTarget(target: unknown): FieldError[] {
  const t = isPlainObject(target) ? target : {};
  const errors: FieldError[] = [];
  if (t.kind !== undefined && t.kind !== '' && t.kind !== 'Node') errors.push(fieldError.notSupported('target.kind', t.kind, ['Node', '<empty>']));
  if (typeof t.name !== 'string' || t.name === '') errors.push(fieldError.required('target.name'));
  return errors;
}

/** Assigns `current` to `node`; throws the upstream Conflicts. */
function bind(current: KubeObject, node: string, annotations: Record<string, string>, now: Date): KubeObject {
  const pod = current as KubeObject & Writable<Pod>;
  const name = current.metadata.name ?? '';
  if (current.metadata.deletionTimestamp !== undefined) {
    throw conflict(BINDING_RESOURCE, name, `pod ${name} is being deleted, cannot be assigned to a host`);
  }
  const assigned = pod.spec?.nodeName;
  if (assigned) throw conflict(BINDING_RESOURCE, name, `pod ${name} is already assigned to node ${JSON.stringify(assigned)}`);
  pod.spec = { ...pod.spec, containers: pod.spec?.containers ?? [], nodeName: node };
  if (Object.keys(annotations).length > 0) current.metadata.annotations = { ...current.metadata.annotations, ...annotations };
  const scheduled: PodCondition = { type: 'PodScheduled', status: 'True', lastTransitionTime: formatTime(now) };
  const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  pod.status = { ...pod.status, conditions: [...conditions, scheduled] };
  return current;
}

/**
 * POST /api/v1/namespaces/{ns}/pods/{name}/binding or /api/v1/namespaces/{ns}/bindings
 * (`r.store` is the pods store): 201 with a Success Status.
 */
export async function handleBinding(r: ResourceRequest): Promise<void> {
  const options = writeOptions(r, 'CreateOptions');
  const binding = decodeObject(await readBody(r.req), r.req.headers['content-type'], requestKind(r));
  const { namespace } = r.requestInfo;
  const name = r.requestInfo.name || (binding.metadata.name ?? '');
  if (r.requestInfo.name === '' && name === '') throw invalid('Binding', '', '', [fieldError.required('metadata.name')]);
  if (binding.metadata.name !== name) throw badRequest('name in URL does not match name in Binding object');
  const errors = validateTarget(binding.target);
  if (errors.length > 0) throw invalid('Binding', '', name, errors);
  const node = (binding.target as { name: string }).name;
  const annotations = binding.metadata.annotations ?? {};
  await r.store.updateDirect(namespace, name, (current) => bind(current, node, annotations, r.now), options, 'binding');
  writeObject(r.res, 201, { ...successStatus(), code: 201 });
}
