/**
 * Request paths of the Kubernetes REST API: `/api/v1/namespaces/ns/pods/name/status`,
 * `/apis/apps/v1/deployments`, built from a group/version/resource and a namespace.
 */
import { findResource } from '../api/resources.js';
import type { ResourceInfo } from '../api/resources.js';

/**
 * Which resource a request addresses. `namespace` absent on a namespaced resource
 * means all namespaces (for list, watch and deletecollection).
 */
export interface ResourceTarget {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
}

/** A target for a catalog resource, optionally in one namespace. */
export function targetOf(info: Pick<ResourceInfo, 'group' | 'version' | 'resource'>, namespace?: string): ResourceTarget {
  const target: ResourceTarget = { group: info.group, version: info.version, resource: info.resource };
  if (namespace !== undefined) target.namespace = namespace;
  return target;
}

/**
 * The path for a collection (no name) or one object, optionally a subresource of it.
 * Path segments are URL-escaped. Throws when a namespace is given for a resource the
 * catalog knows to be cluster-scoped: that is a programming error, never a request.
 */
export function resourcePath(target: ResourceTarget, name?: string, subresource?: string): string {
  const { group, version, resource, namespace } = target;
  if (namespace !== undefined && namespace !== '') {
    const info = findResource(group, version, resource);
    if (info !== undefined && !info.namespaced) {
      throw new Error(`${resource} is cluster-scoped: no namespace may be given (got ${JSON.stringify(namespace)})`);
    }
  }
  const parts = [group === '' ? `/api/${version}` : `/apis/${group}/${version}`];
  if (namespace !== undefined && namespace !== '') parts.push('namespaces', encodeURIComponent(namespace));
  parts.push(resource);
  if (name !== undefined) {
    if (name === '') throw new Error(`resource name may not be empty (${resource})`);
    parts.push(encodeURIComponent(name));
    if (subresource !== undefined) parts.push(subresource);
  } else if (subresource !== undefined) {
    throw new Error(`a subresource (${subresource}) needs an object name`);
  }
  return parts.join('/');
}

/** `pods`, `deployments.apps`: the qualified name upstream uses in client-side messages. */
export function qualifiedResource(target: ResourceTarget): string {
  return target.group === '' ? target.resource : `${target.resource}.${target.group}`;
}
