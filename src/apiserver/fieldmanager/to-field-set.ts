/**
 * The set of fields a value sets (structured-merge-diff's ToFieldSet): every scalar,
 * atomic map and atomic list is a leaf; every list item is a member; map keys that
 * are not declared struct fields are members, as are empty maps and nulls.
 */
import type { PatchSchema } from '../patch/schema.js';
import { FieldSet } from './field-set.js';
import { fieldElement, serializePathElement, type PathElement } from './path-element.js';
import { childSchemaFor, itemElement, shapeOf } from './shape.js';

/** The fields `value` (an object root) sets, under `schema`. */
export function toFieldSet(value: unknown, schema: PatchSchema | undefined): FieldSet {
  const set = new FieldSet();
  walk(set, [], value, schema);
  return set;
}

function walk(set: FieldSet, path: PathElement[], value: unknown, schema: PatchSchema | undefined): void {
  const shape = shapeOf(value, schema);
  if (shape.kind === 'scalar' || shape.atomic) {
    set.insert(path);
    return;
  }
  if (shape.kind === 'map') {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const pe = fieldElement(key);
      const childPath = [...path, pe];
      walk(set, childPath, child, childSchemaFor(schema, pe));
      const emptyMap = typeof child === 'object' && child !== null && !Array.isArray(child) && Object.keys(child).length === 0;
      if (child === null || emptyMap || schema?.property(key) === undefined) set.insert(childPath);
    }
    return;
  }
  const items = value as unknown[];
  const itemSchema = schema?.items();
  const seen = new Map<string, number>();
  const elements = items.map((item) => itemElement(item, shape.keys, itemSchema) as PathElement);
  for (const pe of elements) {
    const key = serializePathElement(pe);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  items.forEach((item, i) => {
    const pe = elements[i] as PathElement;
    const itemPath = [...path, pe];
    if ((seen.get(serializePathElement(pe)) ?? 0) < 2) walk(set, itemPath, item, itemSchema);
    set.insert(itemPath);
  });
}
