/**
 * The REST operations of each served resource, in a neutral form the v2 and v3
 * renderers both start from: path, method, `x-kubernetes-action`, the kind it is
 * about (`x-kubernetes-group-version-kind`), parameters, body and responses.
 */
import type { ResourceInfo, SubresourceInfo } from '../../api/resources.js';
import { definitionOfKind } from './definitions.js';
import { META } from './definitionNames.js';
import { PARAMETERS, QUERY_PARAMETERS_OF, type ApiParameter } from './parameters.js';
import type { GroupVersionKind } from './schema.js';

/** What an operation does, as `x-kubernetes-action` names it. */
export type OperationAction = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';

/** The HTTP methods resource operations use. */
export type HttpMethod = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** Request body types of a PATCH, strategic merge patch included (kubectl looks for it). */
export const PATCH_CONTENT_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
] as const;

/** One operation on one path. */
export interface ApiOperation {
  method: HttpMethod;
  action: OperationAction;
  operationId: string;
  description: string;
  /** The tag grouping operations of one group version (`core_v1`, `apps_v1`). */
  tag: string;
  gvk: GroupVersionKind;
  queryParameters: readonly ApiParameter[];
  /** Definition name of the request body; `patch` for the PATCH body types. */
  body?: string;
  /** Definition name of the response body, by status code. */
  responses: Partial<Record<'200' | '201' | '202', string>>;
}

/** One path and its operations; `parameters` apply to every operation on it. */
export interface ApiPath {
  path: string;
  parameters: readonly ApiParameter[];
  operations: readonly ApiOperation[];
}

/** The discovery path of a group version without leading slash: `api/v1`, `apis/apps/v1`. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** The part of operation ids naming a group: `Core`, `Apps`, `RbacAuthorization`. */
function groupWord(group: string): string {
  if (group === '') return 'Core';
  return group.replace(/\.k8s\.io$/, '').split('.').map(capitalize).join('');
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function kindDefinition(gvk: GroupVersionKind): string {
  const name = definitionOfKind(gvk);
  if (!name) throw new Error(`no OpenAPI definition for ${gvk.group}/${gvk.version} ${gvk.kind}`);
  return name;
}

/** The paths and operations of one resource and its subresources. */
export function resourcePaths(info: ResourceInfo): ApiPath[] {
  const prefix = `/${groupVersionPath(info.group, info.version)}`;
  const gvk: GroupVersionKind = { group: info.group, kind: info.kind, version: info.version };
  const listGvk: GroupVersionKind = { ...gvk, kind: info.listKind };
  const object = kindDefinition(gvk);
  const tag = `${groupWord(info.group).charAt(0).toLowerCase()}${groupWord(info.group).slice(1)}_${info.version}`;
  const idMiddle = `${groupWord(info.group)}${capitalize(info.version)}`;
  const scope = info.namespaced ? 'Namespaced' : '';
  const has = (verb: string): boolean => info.verbs.includes(verb);
  const op = (method: HttpMethod, action: OperationAction, operationId: string, description: string, rest: Partial<ApiOperation> = {}): ApiOperation => ({
    method, action, operationId, description, tag, gvk, queryParameters: [], responses: { '200': object }, ...rest,
  });

  const collection: ApiOperation[] = [];
  if (has('list')) {
    collection.push(op('get', 'list', `list${idMiddle}${scope}${info.kind}`, `list or watch objects of kind ${info.kind}`, {
      queryParameters: QUERY_PARAMETERS_OF.list, responses: { '200': kindDefinition(listGvk) },
    }));
  }
  if (has('create')) {
    collection.push(op('post', 'post', `create${idMiddle}${scope}${info.kind}`, `create a ${info.kind}`, {
      queryParameters: QUERY_PARAMETERS_OF.write, body: object, responses: { '200': object, '201': object, '202': object },
    }));
  }
  if (has('deletecollection')) {
    collection.push(op('delete', 'deletecollection', `delete${idMiddle}Collection${scope}${info.kind}`, `delete a collection of ${info.kind}`, {
      queryParameters: QUERY_PARAMETERS_OF.deleteCollection, body: META.deleteOptions, responses: { '200': META.status },
    }));
  }

  const item: ApiOperation[] = [];
  if (has('get')) item.push(op('get', 'get', `read${idMiddle}${scope}${info.kind}`, `read the specified ${info.kind}`));
  if (has('update')) {
    item.push(op('put', 'put', `replace${idMiddle}${scope}${info.kind}`, `replace the specified ${info.kind}`, {
      queryParameters: QUERY_PARAMETERS_OF.write, body: object, responses: { '200': object, '201': object },
    }));
  }
  if (has('patch')) {
    item.push(op('patch', 'patch', `patch${idMiddle}${scope}${info.kind}`, `partially update the specified ${info.kind}`, {
      queryParameters: QUERY_PARAMETERS_OF.patch, body: 'patch', responses: { '200': object, '201': object },
    }));
  }
  if (has('delete')) {
    item.push(op('delete', 'delete', `delete${idMiddle}${scope}${info.kind}`, `delete a ${info.kind}`, {
      queryParameters: QUERY_PARAMETERS_OF.delete, body: META.deleteOptions, responses: { '200': META.status, '202': META.status },
    }));
  }

  const scopeParameters = info.namespaced ? [PARAMETERS.namespace] : [];
  const base = info.namespaced ? `${prefix}/namespaces/{namespace}/${info.resource}` : `${prefix}/${info.resource}`;
  const paths: ApiPath[] = [];
  if (collection.length > 0) paths.push({ path: base, parameters: [...scopeParameters, PARAMETERS.pretty], operations: collection });
  if (item.length > 0) paths.push({ path: `${base}/{name}`, parameters: [PARAMETERS.name, ...scopeParameters, PARAMETERS.pretty], operations: item });
  if (info.namespaced && has('list')) {
    paths.push({
      path: `${prefix}/${info.resource}`,
      parameters: [PARAMETERS.pretty],
      operations: [op('get', 'list', `list${idMiddle}${info.kind}ForAllNamespaces`, `list or watch objects of kind ${info.kind} in all namespaces`, {
        queryParameters: QUERY_PARAMETERS_OF.list, responses: { '200': kindDefinition(listGvk) },
      })],
    });
  }
  // Connect subresources (streams, not objects) are not documented yet.
  for (const sub of info.subresources.filter((s) => s.connect !== true)) {
    const subGvk: GroupVersionKind = { group: sub.group ?? info.group, kind: sub.kind, version: sub.version ?? info.version };
    const subObject = kindDefinition(subGvk);
    const idTail = `${idMiddle}${scope}${info.kind}${capitalize(sub.name)}`;
    const subOp = (method: HttpMethod, action: OperationAction, verbWord: string, description: string, rest: Partial<ApiOperation>): ApiOperation =>
      op(method, action, `${verbWord}${idTail}`, description, { gvk: subGvk, responses: { '200': subObject }, ...rest });
    const operations = subresourceOperations(sub, info.kind, subObject, subOp);
    paths.push({ path: `${base}/{name}/${sub.name}`, parameters: [PARAMETERS.name, ...scopeParameters, PARAMETERS.pretty], operations });
  }
  return paths;
}

function subresourceOperations(
  sub: SubresourceInfo,
  parentKind: string,
  object: string,
  subOp: (method: HttpMethod, action: OperationAction, verbWord: string, description: string, rest: Partial<ApiOperation>) => ApiOperation,
): ApiOperation[] {
  const operations: ApiOperation[] = [];
  if (sub.verbs.includes('get')) operations.push(subOp('get', 'get', 'read', `read ${sub.name} of the specified ${parentKind}`, {}));
  if (sub.verbs.includes('create')) {
    operations.push(subOp('post', 'post', 'create', `create ${sub.name} of a ${parentKind}`, {
      queryParameters: QUERY_PARAMETERS_OF.write, body: object, responses: { '200': object, '201': object, '202': object },
    }));
  }
  if (sub.verbs.includes('update')) {
    operations.push(subOp('put', 'put', 'replace', `replace ${sub.name} of the specified ${parentKind}`, {
      queryParameters: QUERY_PARAMETERS_OF.write, body: object, responses: { '200': object, '201': object },
    }));
  }
  if (sub.verbs.includes('patch')) {
    operations.push(subOp('patch', 'patch', 'patch', `partially update ${sub.name} of the specified ${parentKind}`, {
      queryParameters: QUERY_PARAMETERS_OF.patch, body: 'patch', responses: { '200': object, '201': object },
    }));
  }
  return operations;
}

/** Definition names an operation's body and responses name (its schema roots). */
export function operationDefinitions(operation: ApiOperation): string[] {
  const names = Object.values(operation.responses);
  if (operation.body) names.push(operation.body === 'patch' ? META.patch : operation.body);
  return names;
}
