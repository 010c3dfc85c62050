/**
 * Shaping objects and lists into the negotiated view: the object itself (in the
 * shape its endpoint serves), a meta.k8s.io Table, or PartialObjectMetadata(List).
 */
import type { KubeObject } from '../../api/object.js';
import { apiVersionOf } from '../../api/resources.js';
import { toServedShape } from '../registry/shapes.js';
import { toTable } from '../tables/table.js';
import type { ResourceRequest } from './context.js';

/** List metadata as returned to clients. */
export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

function partialMetadata(obj: KubeObject, version: string): KubeObject {
  return { apiVersion: `meta.k8s.io/${version}`, kind: 'PartialObjectMetadata', metadata: obj.metadata };
}

function includeObjectPolicy(r: ResourceRequest): 'None' | 'Metadata' | 'Object' {
  const value = r.query.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

/** The body for a single object in the request's view. */
export function objectBody(r: ResourceRequest, obj: KubeObject): unknown {
  const { view } = r;
  if (view.kind === 'table') {
    const table = toTable(r.info, [obj], { includeObject: includeObjectPolicy(r), now: r.now, wide: true });
    return { ...table, apiVersion: `meta.k8s.io/${view.version}`, metadata: { resourceVersion: obj.metadata.resourceVersion } };
  }
  if (view.kind === 'partialMetadata') return partialMetadata(obj, view.version);
  return toServedShape(r.info, obj);
}

/** The body for a list in the request's view. */
export function listBody(r: ResourceRequest, items: KubeObject[], meta: ListMeta): unknown {
  const { view, info } = r;
  if (view.kind === 'table') {
    const table = toTable(info, items, { includeObject: includeObjectPolicy(r), now: r.now, wide: true });
    return { ...table, apiVersion: `meta.k8s.io/${view.version}`, metadata: meta };
  }
  if (view.kind === 'partialMetadata') {
    return {
      apiVersion: `meta.k8s.io/${view.version}`,
      kind: 'PartialObjectMetadataList',
      metadata: meta,
      items: items.map((obj) => partialMetadata(obj, view.version)),
    };
  }
  return { apiVersion: apiVersionOf(info.group, info.version), kind: info.listKind, metadata: meta, items: items.map((obj) => toServedShape(info, obj)) };
}
