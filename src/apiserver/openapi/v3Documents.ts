/**
 * OpenAPI v3 as upstream serves it: a discovery document at `/openapi/v3` listing one
 * document per group version (`api/v1`, `apis/apps/v1`) with a `?hash=` for caching,
 * and per group version a document with that group version's paths and, under
 * `components.schemas`, every schema they reach. kubectl `explain` and `apply` (1.27+)
 * read these: explain finds the kind through the operations'
 * `x-kubernetes-group-version-kind`, apply reads patch metadata from the schemas.
 */
import { RESOURCES } from '../../api/resources.js';
import { META } from './definitionNames.js';
import { loadDefinitions, referenceClosure } from './definitions.js';
import { groupVersionPath, operationDefinitions, PATCH_CONTENT_TYPES, resourcePaths, type ApiOperation, type ApiPath } from './operations.js';
import type { ApiParameter } from './parameters.js';
import { refTarget, type OpenApiSchema } from './schema.js';
import { BEARER_TOKEN_SCHEME, jsonDocument, OPENAPI_INFO, type ServedDocument } from './servedDocument.js';

/** Where v3 component schemas live. */
export const COMPONENT_REF_PREFIX = '#/components/schemas/';

const RESPONSE_TEXT = { '200': 'OK', '201': 'Created', '202': 'Accepted' } as const;
const RESPONSE_TYPES = ['application/json', 'application/yaml'] as const;

/**
 * A catalog schema in v3 form: references point into components, and a reference with
 * siblings (a field's description, patch metadata) becomes `allOf: [{$ref}]` beside
 * them, since v3 ignores siblings of `$ref`.
 */
export function toV3Schema(schema: OpenApiSchema): OpenApiSchema {
  const converted: OpenApiSchema = { ...schema };
  if (schema.properties) {
    converted.properties = Object.fromEntries(Object.entries(schema.properties).map(([field, property]) => [field, toV3Schema(property)]));
  }
  if (schema.items) converted.items = toV3Schema(schema.items);
  if (typeof schema.additionalProperties === 'object') converted.additionalProperties = toV3Schema(schema.additionalProperties);
  if (schema.allOf) converted.allOf = schema.allOf.map(toV3Schema);
  if (schema.$ref) {
    const ref = COMPONENT_REF_PREFIX + refTarget(schema.$ref);
    delete converted.$ref;
    return Object.keys(converted).length === 0 ? { $ref: ref } : { allOf: [{ $ref: ref }], ...converted };
  }
  return converted;
}

function parameter(p: ApiParameter): Record<string, unknown> {
  return {
    name: p.name,
    in: p.in,
    description: p.description,
    ...(p.in === 'path' ? { required: true } : {}),
    schema: { type: p.type, uniqueItems: true },
  };
}

function schemaRef(name: string): { $ref: string } {
  return { $ref: COMPONENT_REF_PREFIX + name };
}

function operation(op: ApiOperation): Record<string, unknown> {
  const rendered: Record<string, unknown> = {
    tags: [op.tag],
    description: op.description,
    operationId: op.operationId,
  };
  if (op.queryParameters.length > 0) rendered.parameters = op.queryParameters.map(parameter);
  if (op.body) {
    const types = op.body === 'patch' ? PATCH_CONTENT_TYPES : ['*/*'];
    const schema = schemaRef(op.body === 'patch' ? META.patch : op.body);
    rendered.requestBody = {
      content: Object.fromEntries(types.map((type) => [type, { schema }])),
      ...(op.method === 'delete' ? {} : { required: true }),
    };
  }
  const responses: Record<string, unknown> = {};
  for (const [code, name] of Object.entries(op.responses)) {
    responses[code] = {
      description: RESPONSE_TEXT[code as keyof typeof RESPONSE_TEXT],
      content: Object.fromEntries(RESPONSE_TYPES.map((type) => [type, { schema: schemaRef(name) }])),
    };
  }
  responses['401'] = { description: 'Unauthorized' };
  rendered.responses = responses;
  rendered['x-kubernetes-action'] = op.action;
  rendered['x-kubernetes-group-version-kind'] = op.gvk;
  return rendered;
}

function groupVersionDocument(paths: readonly ApiPath[]): Record<string, unknown> {
  const definitions = loadDefinitions();
  const names = referenceClosure(definitions, paths.flatMap((p) => p.operations.flatMap(operationDefinitions)));
  return {
    openapi: '3.0.0',
    info: OPENAPI_INFO,
    paths: Object.fromEntries(paths.map((p) => [
      p.path,
      { ...Object.fromEntries(p.operations.map((op) => [op.method, operation(op)])), parameters: p.parameters.map(parameter) },
    ])),
    components: {
      schemas: Object.fromEntries(names.map((name) => [name, toV3Schema(definitions[name] as OpenApiSchema)])),
      securitySchemes: { BearerToken: BEARER_TOKEN_SCHEME },
    },
    security: [{ BearerToken: [] }],
  };
}

let byPath: Map<string, ServedDocument> | undefined;
let root: ServedDocument | undefined;

/** Every group version's document, by discovery path; built together on first use. */
function groupVersionDocuments(): Map<string, ServedDocument> {
  if (!byPath) {
    const pathsByGroupVersion = new Map<string, ApiPath[]>();
    for (const info of RESOURCES) {
      const key = groupVersionPath(info.group, info.version);
      pathsByGroupVersion.set(key, [...(pathsByGroupVersion.get(key) ?? []), ...resourcePaths(info)]);
    }
    byPath = new Map([...pathsByGroupVersion].map(([key, paths]) => [key, jsonDocument(groupVersionDocument(paths))]));
  }
  return byPath;
}

/** The body of `/openapi/v3`: one entry per served group version, its URL carrying the document's hash. */
export function openApiV3Root(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [key, document] of groupVersionDocuments()) {
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${document.hash}` };
  }
  return { paths };
}

/** `/openapi/v3` serialized, with ETag and gzip. */
export function servedOpenApiV3Root(): ServedDocument {
  root ??= jsonDocument(openApiV3Root());
  return root;
}

/**
 * The document of one group version, `path` being what follows `/openapi/v3/`
 * (`api/v1`, `apis/apps/v1`; no query). Undefined for a group version k8ts does not serve.
 */
export function servedOpenApiV3GroupVersion(path: string): ServedDocument | undefined {
  return groupVersionDocuments().get(path.replace(/^\/+|\/+$/g, ''));
}

/** The JSON text of one group version's document (see servedOpenApiV3GroupVersion). */
export function openApiV3GroupVersion(path: string): string | undefined {
  return servedOpenApiV3GroupVersion(path)?.body.toString('utf8');
}

let allComponents: Record<string, OpenApiSchema> | undefined;

/**
 * Every catalog schema in v3 form, by definition name (converted once, shared: do not
 * mutate). For in-process consumers such as server-side strategic merge patch; find
 * a kind's name with `definitionOfKind`.
 */
export function v3ComponentSchemas(): Readonly<Record<string, OpenApiSchema>> {
  allComponents ??= Object.fromEntries(Object.entries(loadDefinitions()).map(([name, schema]) => [name, toV3Schema(schema)]));
  return allComponents;
}
