/**
 * The JSON-schema subset k8ts publishes in its OpenAPI documents, and the catalog of
 * named schemas ("definitions") both the v2 and v3 documents are built from.
 */

/** A group/version/kind as the `x-kubernetes-group-version-kind` extension spells it. */
export interface GroupVersionKind {
  group: string;
  kind: string;
  version: string;
}

/**
 * One schema. In the catalog, references are v2-style (`#/definitions/<name>`) and a
 * reference may carry siblings (description); the v3 renderer rewrites both.
 */
export interface OpenApiSchema {
  $ref?: string;
  allOf?: OpenApiSchema[];
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  items?: OpenApiSchema;
  additionalProperties?: OpenApiSchema | boolean;
  default?: unknown;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
}

/** Named schemas by upstream definition name (`io.k8s.api.core.v1.Pod`). */
export type Definitions = Record<string, OpenApiSchema>;

/** The prefix of every reference inside the definitions catalog. */
export const DEFINITION_REF_PREFIX = '#/definitions/';

/** A catalog reference to the named definition. */
export function definitionRef(name: string): string {
  return DEFINITION_REF_PREFIX + name;
}

/** The definition name a catalog reference points at. */
export function refTarget(ref: string): string {
  return ref.startsWith(DEFINITION_REF_PREFIX) ? ref.slice(DEFINITION_REF_PREFIX.length) : ref;
}
