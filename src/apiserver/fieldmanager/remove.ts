/**
 * Removes a set of fields from a value (structured-merge-diff's RemoveItems): a
 * member path drops that field or list item whole; a path with members below it
 * recurses. A map or list left empty by removal becomes absent.
 */
import { isPlainObject } from '../../api/object.js';
import type { PatchSchema } from '../patch/schema.js';
import type { FieldSet } from './field-set.js';
import { fieldElement, type PathElement } from './path-element.js';
import { childSchemaFor, itemElement, shapeOf } from './shape.js';

/** `value` without the fields in `toRemove`; `undefined` when nothing remains of a container. */
export function removeFields(value: unknown, toRemove: FieldSet, schema: PatchSchema | undefined): unknown {
  const shape = shapeOf(value, schema);
  if (shape.kind === 'scalar' || shape.atomic || toRemove.isEmpty()) return value;
  if (shape.kind === 'map' && isPlainObject(value)) {
    if (Object.keys(value).length === 0) return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const pe = fieldElement(key);
      if (toRemove.has([pe])) continue;
      const below = toRemove.withPrefix(pe);
      out[key] = below.isEmpty() ? child : (removeFields(child, below, childSchemaFor(schema, pe)) ?? null);
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  const list = value as unknown[];
  if (list.length === 0 || shape.kind !== 'list') return value;
  const itemSchema = schema?.items();
  const out: unknown[] = [];
  for (const item of list) {
    const pe = itemElement(item, shape.keys, itemSchema) as PathElement;
    if (toRemove.has([pe])) continue;
    const below = toRemove.withPrefix(pe);
    const kept = below.isEmpty() ? item : removeFields(item, below, itemSchema);
    if (kept !== undefined) out.push(kept);
  }
  return out.length > 0 ? out : undefined;
}
