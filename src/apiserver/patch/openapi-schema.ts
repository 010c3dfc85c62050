/**
 * A PatchSchema over OpenAPI v3 component schemas as upstream publishes them
 * (`/openapi/v3/apis/...`): `$ref: '#/components/schemas/<name>'`, refs wrapped as
 * `allOf: [{ $ref }]`, `properties`, `items`, `additionalProperties`, and the
 * Kubernetes extensions for patch strategy, merge key, list type, list-map keys and
 * map type. Extensions written beside a reference win over those of its target.
 */
import type { ListType, MapType, PatchMeta, PatchSchema } from './schema.js';

/** The subset of a JSON/OpenAPI schema object this adapter reads. */
export interface JSONSchema {
  $ref?: string;
  allOf?: JSONSchema[];
  type?: string | string[];
  properties?: Record<string, JSONSchema>;
  items?: JSONSchema;
  required?: string[];
  additionalProperties?: JSONSchema | boolean;
  default?: unknown;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  [extension: string]: unknown;
}

const REF_PREFIX = '#/components/schemas/';

/**
 * Builds the PatchSchema rooted at component `rootRef` (a bare component name such as
 * `io.k8s.api.core.v1.Pod`, or a full `#/components/schemas/...` reference).
 * Throws when the root is not among `components`.
 */
export function patchSchemaFromOpenApiV3(components: Record<string, JSONSchema>, rootRef: string): PatchSchema {
  const name = rootRef.startsWith(REF_PREFIX) ? rootRef.slice(REF_PREFIX.length) : rootRef;
  const root = components[name];
  if (root === undefined) throw new Error(`unable to resolve ${rootRef} in OpenAPI V3`);
  return new OpenApiPosition(components, root);
}

class OpenApiPosition implements PatchSchema {
  readonly meta: PatchMeta;
  private readonly resolved: JSONSchema;

  constructor(
    private readonly components: Record<string, JSONSchema>,
    site: JSONSchema,
  ) {
    this.resolved = resolve(components, site);
    this.meta = { patchStrategies: [], ...metaFrom(this.resolved), ...metaFrom(site) };
  }

  property(name: string): PatchSchema | undefined {
    const props = this.resolved.properties;
    if (props === undefined || !Object.hasOwn(props, name)) return undefined;
    const prop = props[name];
    return prop === undefined ? undefined : new OpenApiPosition(this.components, prop);
  }

  additionalProperties(): PatchSchema | undefined {
    const extra = this.resolved.additionalProperties;
    if (extra === undefined || typeof extra === 'boolean') return undefined;
    return new OpenApiPosition(this.components, extra);
  }

  items(): PatchSchema | undefined {
    const items = this.resolved.items;
    return items === undefined ? undefined : new OpenApiPosition(this.components, items);
  }

  isRequired(name: string): boolean {
    return this.resolved.required?.includes(name) ?? false;
  }
}

/** Follows `$ref` (directly or wrapped in a one-element `allOf`) until a concrete schema. */
function resolve(components: Record<string, JSONSchema>, schema: JSONSchema): JSONSchema {
  let current = schema;
  for (let hops = 0; hops < 64; hops++) {
    const ref = current.$ref ?? (current.allOf?.length === 1 ? current.allOf[0]?.$ref : undefined);
    if (ref === undefined) return current;
    const target = ref.startsWith(REF_PREFIX) ? components[ref.slice(REF_PREFIX.length)] : undefined;
    if (target === undefined) throw new Error(`unable to resolve ${ref} in OpenAPI V3`);
    current = target;
  }
  throw new Error('reference cycle in OpenAPI V3 schema');
}

/** The metadata written on one schema object (only the keys it sets). */
function metaFrom(schema: JSONSchema): Partial<PatchMeta> {
  const meta: { -readonly [K in keyof PatchMeta]?: PatchMeta[K] } = {};
  const strategy = schema['x-kubernetes-patch-strategy'];
  if (typeof strategy === 'string' && strategy !== '') meta.patchStrategies = strategy.split(',');
  const mergeKey = schema['x-kubernetes-patch-merge-key'];
  if (typeof mergeKey === 'string') meta.patchMergeKey = mergeKey;
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'atomic' || listType === 'set' || listType === 'map') meta.listType = listType as ListType;
  const mapKeys = schema['x-kubernetes-list-map-keys'];
  if (Array.isArray(mapKeys)) meta.listMapKeys = mapKeys.filter((k): k is string => typeof k === 'string');
  const mapType = schema['x-kubernetes-map-type'];
  if (mapType === 'atomic' || mapType === 'granular') meta.mapType = mapType as MapType;
  if (schema.default !== undefined) meta.defaultValue = schema.default;
  return meta;
}
