/**
 * The scale subresource of deployments, replicasets, statefulsets and
 * replicationcontrollers: an autoscaling/v1 Scale view of the parent's
 * `spec.replicas`, `status.replicas` and selector, read with GET and changed with
 * PUT or PATCH (what `kubectl scale` and autoscalers use).
 */
import type { KubeObject } from '../../../api/object.js';
import { isPlainObject } from '../../../api/object.js';
import { selectorToString } from '../../../api/selectors/labelSelector.js';
import { fieldError, invalid, methodNotAllowed, unsupportedMediaType } from '../../../api/status.js';
import { decodeObject, mediaType, parseDocument, readBody } from '../../http/body.js';
import { writeObject } from '../../http/respond.js';
import { patchSchemaOfKind } from '../../openapi/patchSchemas.js';
import { applyPatchOfType, isNonApplyPatchType, NON_APPLY_PATCH_TYPES } from '../../patch/index.js';
import type { ResourceRequest } from '../context.js';
import { requestKind, writeOptions } from '../writeOptions.js';

interface Scale extends KubeObject {
  spec?: { replicas?: number };
  status?: { replicas: number; selector?: string };
}

interface Scalable {
  spec?: { replicas?: number; selector?: unknown };
  status?: { replicas?: number };
}

/** The selector of a scalable object as text: a LabelSelector, or a replication controller's plain map. */
function selectorText(selector: unknown): string {
  if (!isPlainObject(selector)) return '';
  const isLabelSelector = 'matchLabels' in selector || 'matchExpressions' in selector;
  return selectorToString(isLabelSelector ? selector : { matchLabels: selector as Record<string, string> });
}

/** The Scale view of a scalable object. */
export function scaleOf(obj: KubeObject): Scale {
  const { spec, status } = obj as KubeObject & Scalable;
  const meta = obj.metadata;
  const selector = selectorText(spec?.selector);
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    spec: { replicas: spec?.replicas ?? 0 },
    status: { replicas: status?.replicas ?? 0, ...(selector !== '' ? { selector } : {}) },
  };
}

/** Writes the desired replicas of `scale` into `target`; a resourceVersion in the Scale is a precondition. */
function applyScale(target: KubeObject, scale: Scale): KubeObject {
  const replicas = scale.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    const error =
      typeof replicas === 'number' && Number.isInteger(replicas)
        ? fieldError.invalid('spec.replicas', replicas, 'must be greater than or equal to 0')
        : fieldError.invalid('spec.replicas', replicas ?? null, 'must be an integer');
    throw invalid('Scale', 'autoscaling', target.metadata.name ?? '', [error]);
  }
  const scalable = target as KubeObject & Scalable;
  scalable.spec = { ...scalable.spec, replicas };
  const wanted = scale.metadata?.resourceVersion;
  if (wanted) target.metadata.resourceVersion = wanted;
  return target;
}

/** GET, PUT and PATCH of …/{name}/scale. */
export async function handleScale(r: ResourceRequest): Promise<void> {
  const { namespace, name, verb } = r.requestInfo;
  const format = r.view.kind === 'object' ? r.view.format : 'json';
  if (verb === 'get') {
    writeObject(r.res, 200, scaleOf(await r.store.get(namespace, name)), format);
    return;
  }
  if (verb !== 'update' && verb !== 'patch') throw methodNotAllowed(verb, { group: r.info.group, resource: `${r.info.resource}/scale` });
  const options = writeOptions(r, verb === 'update' ? 'UpdateOptions' : 'PatchOptions');
  const body = await readBody(r.req);
  let produce: (current: KubeObject) => KubeObject;
  if (verb === 'update') {
    const scale = decodeObject(body, r.req.headers['content-type'], requestKind(r)) as Scale;
    produce = (current) => applyScale(current, scale);
  } else {
    const type = mediaType(r.req.headers['content-type']);
    if (!isNonApplyPatchType(type)) throw unsupportedMediaType(type, NON_APPLY_PATCH_TYPES);
    const patch = parseDocument(body, 'application/json');
    const schema = patchSchemaOfKind(requestKind(r));
    produce = (current) => applyScale(current, applyPatchOfType(type, scaleOf(current), patch, schema));
  }
  const updated = await r.store.updateWith(namespace, name, produce, options, 'scale');
  writeObject(r.res, 200, scaleOf(updated), format);
}
