/**
 * How server-side apply sees a value at a position: a scalar, a map (granular or
 * atomic), or a list (atomic, a set of scalars, or a map-list keyed by some fields).
 * Derived from the schema the way upstream converts OpenAPI to its merge schema:
 * `x-kubernetes-list-type` first, else a `merge` patch strategy (keyed by the merge
 * key, or a set without one), else atomic. Positions without a schema are deduced:
 * maps granular, lists atomic. Lists whose items do not fit their declared kind are
 * handled as atomic rather than refused.
 */
import { isPlainObject } from '../../api/object.js';
import { childSchema, type PatchSchema } from '../patch/schema.js';
import { keyElement, type PathElement } from './path-element.js';

/** The merge shape of one value. */
export type Shape =
  | { readonly kind: 'scalar' }
  | { readonly kind: 'map'; readonly atomic: boolean }
  | { readonly kind: 'list'; readonly atomic: true }
  | { readonly kind: 'list'; readonly atomic: false; readonly keys: readonly string[] | undefined };

/** The list relationship the schema declares at a position. */
function declaredList(schema: PatchSchema | undefined): { atomic: true } | { atomic: false; keys: readonly string[] | undefined } {
  if (schema === undefined) return { atomic: true };
  const { listType, listMapKeys, patchStrategies, patchMergeKey } = schema.meta;
  if (listType === 'atomic') return { atomic: true };
  if (listType === 'set') return { atomic: false, keys: undefined };
  if (listType === 'map') return listMapKeys && listMapKeys.length > 0 ? { atomic: false, keys: listMapKeys } : { atomic: true };
  if (patchStrategies.includes('merge')) return { atomic: false, keys: patchMergeKey ? [patchMergeKey] : undefined };
  return { atomic: true };
}

/** The shape of `value` at a position described by `schema`. */
export function shapeOf(value: unknown, schema: PatchSchema | undefined): Shape {
  if (isPlainObject(value)) return { kind: 'map', atomic: schema?.meta.mapType === 'atomic' };
  if (!Array.isArray(value)) return { kind: 'scalar' };
  const declared = declaredList(schema);
  if (declared.atomic) return { kind: 'list', atomic: true };
  const itemSchema = schema?.items();
  const fits = value.every((item) => itemElement(item, declared.keys, itemSchema) !== undefined);
  return fits ? { kind: 'list', atomic: false, keys: declared.keys } : { kind: 'list', atomic: true };
}

/**
 * The path element of a list item: `k:{...}` from the key fields (falling back to a
 * key's schema default), `v:` for set items; undefined when the item does not fit.
 */
export function itemElement(item: unknown, keys: readonly string[] | undefined, itemSchema: PatchSchema | undefined): PathElement | undefined {
  if (keys === undefined) {
    if (item === null || typeof item === 'object') return undefined;
    return { kind: 'value', value: item };
  }
  if (!isPlainObject(item)) return undefined;
  const fields: [string, unknown][] = [];
  for (const key of keys) {
    if (Object.hasOwn(item, key)) fields.push([key, item[key]]);
    else {
      const fallback = itemSchema?.property(key)?.meta.defaultValue;
      if (fallback !== undefined) fields.push([key, fallback]);
    }
  }
  return fields.length === 0 ? undefined : keyElement(fields);
}

/** The schema below a path element of a position described by `schema`. */
export function childSchemaFor(schema: PatchSchema | undefined, pe: PathElement): PatchSchema | undefined {
  return pe.kind === 'field' ? childSchema(schema, pe.name) : schema?.items();
}

/** The JSON kind of a value, for deciding whether two values can be merged. */
export function jsonKind(value: unknown): 'map' | 'list' | 'scalar' {
  if (isPlainObject(value)) return 'map';
  return Array.isArray(value) ? 'list' : 'scalar';
}
