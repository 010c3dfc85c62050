/**
 * Merges an applied configuration into a live object (structured-merge-diff's
 * Merge with "keep the applied value"): granular maps merge key by key, granular
 * lists merge item by item (keyed lists by key, sets by value) keeping the live
 * order around the applied items; scalars and atomic values take the applied value.
 */
import { deepCopy } from '../../api/object.js';
import type { PatchSchema } from '../patch/schema.js';
import { fieldElement, formatPath, serializePathElement, type PathElement } from './path-element.js';
import { childSchemaFor, itemElement, jsonKind, shapeOf } from './shape.js';

/** An applied configuration that cannot be merged (e.g. duplicate keys in a keyed list). */
export class ApplyConfigError extends Error {}

/**
 * The merge of `applied` into `live` (neither is modified). Throws ApplyConfigError
 * when a granular list of `applied` holds two items with the same key.
 */
export function mergeApplied(live: unknown, applied: unknown, schema: PatchSchema | undefined): unknown {
  checkNoDuplicates([], applied, schema);
  return merge([], live, applied, schema);
}

function checkNoDuplicates(path: PathElement[], value: unknown, schema: PatchSchema | undefined): void {
  const shape = shapeOf(value, schema);
  if (shape.kind === 'scalar' || shape.atomic) return;
  if (shape.kind === 'map') {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const pe = fieldElement(key);
      checkNoDuplicates([...path, pe], child, childSchemaFor(schema, pe));
    }
    return;
  }
  const itemSchema = schema?.items();
  for (const { pe, item } of index(path, value as unknown[], shape.keys, itemSchema, false).order) {
    checkNoDuplicates([...path, pe], item, itemSchema);
  }
}

function merge(path: PathElement[], live: unknown, applied: unknown, schema: PatchSchema | undefined): unknown {
  if (applied === undefined) return deepCopy(live);
  if (live === undefined || jsonKind(live) !== jsonKind(applied)) return deepCopy(applied);
  const liveShape = shapeOf(live, schema);
  const shape = shapeOf(applied, schema);
  if (shape.kind === 'scalar' || shape.atomic || (liveShape.kind !== 'scalar' && liveShape.atomic)) return deepCopy(applied);
  if (shape.kind === 'map') {
    const l = live as Record<string, unknown>;
    const a = applied as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(l), ...Object.keys(a)])) {
      const pe = fieldElement(key);
      out[key] = merge([...path, pe], l[key], a[key], childSchemaFor(schema, pe));
    }
    return out;
  }
  return mergeList(path, live as unknown[], applied as unknown[], shape.keys, schema?.items());
}

interface Indexed {
  order: { key: string; pe: PathElement; item: unknown }[];
  byKey: Map<string, unknown>;
}

function index(path: PathElement[], list: readonly unknown[], keys: readonly string[] | undefined, itemSchema: PatchSchema | undefined, allowDuplicates: boolean): Indexed {
  const order: Indexed['order'] = [];
  const byKey = new Map<string, unknown>();
  for (const item of list) {
    const pe = itemElement(item, keys, itemSchema) as PathElement;
    const key = serializePathElement(pe);
    if (byKey.has(key)) {
      if (!allowDuplicates) throw new ApplyConfigError(`${formatPath(path)}: duplicate entries for key ${formatPath([pe])}`);
      byKey.set(key, undefined); // duplicated live items are not merged with the applied one
    } else {
      byKey.set(key, item);
    }
    order.push({ key, pe, item });
  }
  return { order, byKey };
}

function mergeList(path: PathElement[], live: unknown[], applied: unknown[], keys: readonly string[] | undefined, itemSchema: PatchSchema | undefined): unknown[] {
  const lhs = index(path, live, keys, itemSchema, true);
  const rhs = index(path, applied, keys, itemSchema, false);
  const shared = rhs.order.filter((r) => lhs.byKey.has(r.key)).map((r) => r.key);
  let nextShared = shared.shift();
  const mergedApplied = new Set<string>();
  const out: unknown[] = [];
  const mergeItem = (pe: PathElement, l: unknown, r: unknown): void => {
    out.push(merge([...path, pe], l, r, itemSchema));
  };

  let li = 0;
  let ri = 0;
  while (li < lhs.order.length || ri < rhs.order.length) {
    const l = lhs.order[li];
    const r = rhs.order[ri];
    if (l !== undefined && r !== undefined) {
      if (l.key === r.key) {
        mergedApplied.add(r.key);
        mergeItem(l.pe, lhs.byKey.get(l.key), rhs.byKey.get(r.key));
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      if (rhs.byKey.has(l.key) && nextShared !== undefined && nextShared !== l.key) {
        li++; // an applied item, but another one comes first
        continue;
      }
    }
    if (l !== undefined) {
      if (!rhs.byKey.has(l.key)) {
        mergeItem(l.pe, l.item, undefined);
        li++;
        continue;
      }
      if (mergedApplied.has(l.key)) li++;
    }
    if (r !== undefined) {
      mergedApplied.add(r.key);
      mergeItem(r.pe, lhs.byKey.get(r.key), rhs.byKey.get(r.key));
      ri++;
      if (nextShared === r.key) nextShared = shared.shift();
    }
  }
  return out;
}
