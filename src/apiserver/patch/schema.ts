/**
 * What the patch and server-side-apply code needs to know about the shape of an
 * object: for a position in it, the schema of each child and how that position
 * merges. Positions without a schema are "deduced" from the value, as upstream does
 * for unknown fields: objects merge key by key, lists are replaced as a whole.
 */

/** `x-kubernetes-list-type`. */
export type ListType = 'atomic' | 'set' | 'map';

/** `x-kubernetes-map-type`. */
export type MapType = 'atomic' | 'granular';

/** How the value at one position merges, as declared by the field that holds it. */
export interface PatchMeta {
  /** `x-kubernetes-patch-strategy` split on commas (`merge`, `retainKeys`, `replace`); empty when absent. */
  readonly patchStrategies: readonly string[];
  /** `x-kubernetes-patch-merge-key`. */
  readonly patchMergeKey?: string;
  /** `x-kubernetes-list-type`. */
  readonly listType?: ListType;
  /** `x-kubernetes-list-map-keys`. */
  readonly listMapKeys?: readonly string[];
  /** `x-kubernetes-map-type` (structs and maps). */
  readonly mapType?: MapType;
  /** The schema's declared `default`, used for list-map keys an item omits. */
  readonly defaultValue?: unknown;
}

/**
 * The schema at one position of an object. `undefined` wherever a schema is asked
 * for means "no schema known here".
 */
export interface PatchSchema {
  /** Merge metadata for this position. */
  readonly meta: PatchMeta;
  /** The schema of a declared property `name` of an object here (not additionalProperties). */
  property(name: string): PatchSchema | undefined;
  /** The schema of keys that are not declared properties (`additionalProperties`). */
  additionalProperties(): PatchSchema | undefined;
  /** The schema of this list's items. */
  items(): PatchSchema | undefined;
  /**
   * True if the object here lists `name` as required. Upstream's typed objects always
   * carry required fields (as zero values), which decides whether server-side apply
   * sees such a field as newly added; optional to implement.
   */
  isRequired?(name: string): boolean;
}

/** The empty metadata of a position nobody described. */
export const NO_PATCH_META: PatchMeta = { patchStrategies: [] };

/** The schema for the child `name` of an object at `schema`: a declared property, else additionalProperties. */
export function childSchema(schema: PatchSchema | undefined, name: string): PatchSchema | undefined {
  if (schema === undefined) return undefined;
  return schema.property(name) ?? schema.additionalProperties();
}

/** The metadata of a position, empty when there is no schema. */
export function metaOf(schema: PatchSchema | undefined): PatchMeta {
  return schema?.meta ?? NO_PATCH_META;
}
