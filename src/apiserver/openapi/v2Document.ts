/**
 * The OpenAPI v2 (swagger 2.0) document served at `/openapi/v2`: paths for every
 * resource in the catalog and the definitions they reach. kubectl up to 1.28 reads it
 * (as protobuf, see v2Protobuf.ts) for explain, client-side validation and the patch
 * metadata of `kubectl apply`.
 */
import { RESOURCES } from '../../api/resources.js';
import { META } from './definitionNames.js';
import { loadDefinitions, referenceClosure } from './definitions.js';
import { operationDefinitions, PATCH_CONTENT_TYPES, resourcePaths, type ApiOperation, type ApiPath, type HttpMethod } from './operations.js';
import type { ApiParameter } from './parameters.js';
import { definitionRef, type Definitions, type GroupVersionKind, type OpenApiSchema } from './schema.js';
import { BEARER_TOKEN_SCHEME, jsonDocument, OPENAPI_INFO, type ServedDocument } from './servedDocument.js';

/** A swagger parameter: path and query parameters have a type, the body parameter a schema. */
export interface V2Parameter {
  name: string;
  in: 'path' | 'query' | 'body';
  description?: string;
  required?: boolean;
  type?: string;
  uniqueItems?: boolean;
  schema?: OpenApiSchema;
}

/** A swagger response. */
export interface V2Response {
  description: string;
  schema?: OpenApiSchema;
}

/** A swagger operation with the Kubernetes extensions. */
export interface V2Operation {
  description: string;
  consumes: string[];
  produces: string[];
  schemes: string[];
  tags: string[];
  operationId: string;
  parameters: V2Parameter[];
  responses: Record<string, V2Response>;
  'x-kubernetes-action': string;
  'x-kubernetes-group-version-kind': GroupVersionKind;
}

/** A swagger path item. */
export type V2PathItem = Partial<Record<HttpMethod, V2Operation>> & { parameters: V2Parameter[] };

/** The swagger 2.0 document. */
export interface V2Document {
  swagger: '2.0';
  info: { title: string; version: string };
  paths: Record<string, V2PathItem>;
  definitions: Definitions;
  securityDefinitions: Record<string, typeof BEARER_TOKEN_SCHEME>;
  security: Record<string, string[]>[];
}

const RESPONSE_TEXT = { '200': 'OK', '201': 'Created', '202': 'Accepted' } as const;

let document: V2Document | undefined;
let served: ServedDocument | undefined;

function parameter(p: ApiParameter): V2Parameter {
  return { uniqueItems: true, ...p };
}

function operation(op: ApiOperation): V2Operation {
  const parameters = op.queryParameters.map(parameter);
  if (op.body) {
    const schema = { $ref: definitionRef(op.body === 'patch' ? META.patch : op.body) };
    parameters.unshift({ name: 'body', in: 'body', ...(op.method === 'delete' ? {} : { required: true }), schema });
  }
  const responses: Record<string, V2Response> = {};
  for (const [code, name] of Object.entries(op.responses)) {
    responses[code] = { description: RESPONSE_TEXT[code as keyof typeof RESPONSE_TEXT], schema: { $ref: definitionRef(name) } };
  }
  responses['401'] = { description: 'Unauthorized' };
  return {
    description: op.description,
    consumes: op.body === 'patch' ? [...PATCH_CONTENT_TYPES] : ['*/*'],
    produces: ['application/json', 'application/yaml'],
    schemes: ['https'],
    tags: [op.tag],
    operationId: op.operationId,
    parameters,
    responses,
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': op.gvk,
  };
}

function pathItem(p: ApiPath): V2PathItem {
  const item: V2PathItem = { parameters: p.parameters.map(parameter) };
  for (const op of p.operations) item[op.method] = operation(op);
  return item;
}

/** The whole v2 document (built on first call, then shared: do not mutate). */
export function openApiV2Document(): V2Document {
  if (!document) {
    const paths = RESOURCES.flatMap(resourcePaths);
    const definitions = loadDefinitions();
    const names = referenceClosure(definitions, paths.flatMap((p) => p.operations.flatMap(operationDefinitions)));
    document = {
      swagger: '2.0',
      info: { ...OPENAPI_INFO },
      paths: Object.fromEntries(paths.map((p) => [p.path, pathItem(p)])),
      definitions: Object.fromEntries(names.map((name) => [name, definitions[name] as OpenApiSchema])),
      securityDefinitions: { BearerToken: BEARER_TOKEN_SCHEME },
      security: [{ BearerToken: [] }],
    };
  }
  return document;
}

/** The v2 document serialized as JSON, with ETag and gzip. */
export function servedOpenApiV2Json(): ServedDocument {
  served ??= jsonDocument(openApiV2Document());
  return served;
}
