/**
 * The field-level difference between two versions of an object
 * (structured-merge-diff's Compare): which fields the newer one added, changed and
 * removed. Leaves (scalars, atomic maps and lists, empty maps and lists) compare by
 * value; a granular map or list that appears or disappears is itself added/removed.
 */
import { isDeepStrictEqual } from 'node:util';
import type { PatchSchema } from '../patch/schema.js';
import { FieldSet } from './field-set.js';
import { fieldElement, serializePathElement, type PathElement } from './path-element.js';
import { childSchemaFor, itemElement, jsonKind, shapeOf, type Shape } from './shape.js';

/** The result of a comparison; no path is in more than one set. */
export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** Compares `before` and `after` (object roots) under `schema`. */
export function compareObjects(before: unknown, after: unknown, schema: PatchSchema | undefined): Comparison {
  const result: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walk(result, [], before, after, schema);
  return result;
}

function isEmptyContainer(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

function leaf(result: Comparison, path: PathElement[], before: unknown, after: unknown): void {
  if (before === undefined) result.added.insert(path);
  else if (after === undefined) result.removed.insert(path);
  else if (!isDeepStrictEqual(before, after)) result.modified.insert(path);
}

function walk(result: Comparison, path: PathElement[], before: unknown, after: unknown, schema: PatchSchema | undefined): void {
  // A null container is present but empty: its items are compared, the field itself is neither added nor removed.
  if (before === null && isContainer(after)) {
    walkContents(result, path, emptyLike(after), after, schema);
    return;
  }
  if (after === null && isContainer(before)) {
    walkContents(result, path, before, emptyLike(before), schema);
    return;
  }
  if (before !== undefined && after !== undefined && jsonKind(before) !== jsonKind(after)) {
    leaf(result, path, before, after);
    return;
  }
  if (!walkContents(result, path, before, after, schema)) return;
  if (before === undefined) result.added.insert(path);
  else if (after === undefined) result.removed.insert(path);
}

function isContainer(value: unknown): boolean {
  return jsonKind(value) !== 'scalar';
}

function emptyLike(value: unknown): unknown {
  return Array.isArray(value) ? [] : {};
}

/**
 * Compares a node's contents; returns false when the node was handled as a leaf.
 * Required fields missing on one side count as present-but-null, as in typed objects.
 */
function walkContents(result: Comparison, path: PathElement[], before: unknown, after: unknown, schema: PatchSchema | undefined): boolean {
  const present = after !== undefined ? after : before;
  const shape: Shape = mergedShape(before, after, schema);
  const bothEmpty = isEmptyContainer(before) && isEmptyContainer(after);
  if (shape.kind === 'scalar' || shape.atomic || bothEmpty || present === null) {
    leaf(result, path, before, after);
    return false;
  }
  if (shape.kind === 'map') {
    const b = (before ?? {}) as Record<string, unknown>;
    const a = (after ?? {}) as Record<string, unknown>;
    for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
      const pe = fieldElement(key);
      const required = before !== undefined && after !== undefined && (schema?.isRequired?.(key) ?? false);
      const orNull = (v: unknown) => (v === undefined && required ? null : v);
      walk(result, [...path, pe], orNull(b[key]), orNull(a[key]), childSchemaFor(schema, pe));
    }
  } else {
    const itemSchema = schema?.items();
    const b = indexItems((before ?? []) as unknown[], shape.keys, itemSchema);
    const a = indexItems((after ?? []) as unknown[], shape.keys, itemSchema);
    for (const [key, pe] of new Map([...b.elements, ...a.elements])) {
      walk(result, [...path, pe], b.items.get(key), a.items.get(key), itemSchema);
    }
  }
  return true;
}

/** The shape to compare with: atomic if either side can only be handled atomically. */
function mergedShape(before: unknown, after: unknown, schema: PatchSchema | undefined): Shape {
  const b = before === undefined ? undefined : shapeOf(before, schema);
  const a = after === undefined ? undefined : shapeOf(after, schema);
  if (a?.kind === 'list' && a.atomic) return a;
  if (b?.kind === 'list' && b.atomic) return b;
  return (a ?? b) as Shape;
}

/** The items of a granular list by path element (first occurrence wins). */
export function indexItems(
  list: readonly unknown[],
  keys: readonly string[] | undefined,
  itemSchema: PatchSchema | undefined,
): { elements: Map<string, PathElement>; items: Map<string, unknown> } {
  const elements = new Map<string, PathElement>();
  const items = new Map<string, unknown>();
  for (const item of list) {
    const pe = itemElement(item, keys, itemSchema) as PathElement;
    const key = serializePathElement(pe);
    if (items.has(key)) continue;
    elements.set(key, pe);
    items.set(key, item);
  }
  return { elements, items };
}
