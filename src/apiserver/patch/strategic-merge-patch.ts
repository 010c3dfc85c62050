/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) applied on the
 * server, with upstream's semantics (apimachinery `strategicpatch`, server side):
 *
 * - maps merge key by key, `null` deletes; a field whose patch strategy is `replace`
 *   is replaced whole;
 * - lists whose patch strategy includes `merge` merge items by the patch merge key
 *   (lists of primitives merge as sets); other lists are replaced;
 * - `$patch: replace | delete` on maps, `$patch: delete | replace` as list items,
 *   `$retainKeys`, `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>`;
 * - positions without a schema are merged like maps / replaced like lists.
 */
import { deepCopy, isPlainObject } from '../../api/object.js';
import { badRequest } from '../../api/status.js';
import { childSchema, metaOf, type PatchSchema } from './schema.js';
import {
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
  PATCH_DIRECTIVE,
  RETAIN_KEYS_DIRECTIVE,
  SET_ELEMENT_ORDER_PREFIX,
  SMP_ERRORS,
  badPatchType,
  directiveField,
  discardNulls,
  hasPatchDirective,
  noMergeKey,
  smpBadRequest,
  smpUnprocessable,
  withoutDirectives,
} from './smp-directives.js';
import { goPrint } from './go-print.js';
import { indexByIdentity, normalizeElementOrder, partitionByPresence } from './smp-order.js';

type JsonMap = Record<string, unknown>;

/**
 * Applies strategic merge `patch` to a copy of `original`, guided by `schema` (the
 * schema of the object's root; `undefined` merges without list metadata). Throws
 * StatusError 400 for malformed patches, 422 for lists of lists.
 */
export function applyStrategicMergePatch<T extends object>(
  original: T,
  patch: unknown,
  schema: PatchSchema | undefined,
): T {
  if (!isPlainObject(patch)) throw badRequest(SMP_ERRORS.badJSONDoc);
  return mergeMap(deepCopy(original) as JsonMap, deepCopy(patch), schema) as T;
}

/** Merges `patch` into `original` (both owned by the caller; `original` is modified). */
function mergeMap(original: JsonMap | undefined, patch: JsonMap, schema: PatchSchema | undefined): JsonMap {
  if (Object.hasOwn(patch, PATCH_DIRECTIVE)) return mapDirective(patch);
  const target: JsonMap = original ?? {};
  applyRetainKeys(target, patch);
  applySetElementOrder(target, patch, schema);

  for (const [patchKey, patchValue] of Object.entries(patch)) {
    let key = patchKey;
    let deleteList = false;
    if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
      key = directiveField(patchKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX, SMP_ERRORS.badPrimitiveList);
      deleteList = true;
    }
    if (patchValue === null) {
      delete target[key];
      continue;
    }
    const current = target[key];
    if (!Object.hasOwn(target, key) || kindOf(current) !== kindOf(patchValue)) {
      if (!deleteList) storeFresh(target, key, patchValue);
      continue;
    }
    const field = childSchema(schema, key);
    const strategy = mainStrategy(metaOf(field).patchStrategies);
    if (isPlainObject(current) && isPlainObject(patchValue)) {
      if (strategy === 'replace') storeFresh(target, key, patchValue);
      else target[key] = mergeMap(current, patchValue, field);
    } else if (Array.isArray(current) && Array.isArray(patchValue)) {
      if (strategy === 'merge' || deleteList) {
        target[key] = mergeList(current, patchValue, field?.items(), metaOf(field).patchMergeKey ?? '', deleteList);
      } else {
        storeFresh(target, key, patchValue);
      }
    } else {
      storeFresh(target, key, patchValue);
    }
  }
  return target;
}

/** `$patch` on a map: `replace` keeps just the patch, `delete` empties it. */
function mapDirective(patch: JsonMap): JsonMap {
  const directive = patch[PATCH_DIRECTIVE];
  if (directive === 'replace') {
    delete patch[PATCH_DIRECTIVE];
    return withoutDirectives(patch) as JsonMap;
  }
  if (directive === 'delete') return {};
  throw badPatchType(directive, patch);
}

/** Stores a patch value where the original had nothing comparable. */
function storeFresh(target: JsonMap, key: string, patchValue: unknown): void {
  discardNulls(patchValue);
  const kept = withoutDirectives(patchValue);
  if (kept === undefined) delete target[key];
  else target[key] = kept;
}

/** `$retainKeys`: drops every key of `original` not listed; every patched key must be listed. */
function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const retain = patch[RETAIN_KEYS_DIRECTIVE];
  delete patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(retain)) throw smpBadRequest(SMP_ERRORS.badRetainKeys);
  const keep = new Set(retain);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || key.startsWith(SET_ELEMENT_ORDER_PREFIX)) {
      continue;
    }
    if (!keep.has(key)) throw smpBadRequest(SMP_ERRORS.badRetainKeys);
  }
  for (const key of Object.keys(original)) {
    if (!keep.has(key)) delete original[key];
  }
}

/**
 * `$setElementOrder/<field>`: merges the field's list (if patched) and orders the
 * result: listed items in the listed order, server-only items interleaved by their
 * live positions. The list is removed from `patch` so the main loop skips it.
 */
function applySetElementOrder(original: JsonMap, patch: JsonMap, schema: PatchSchema | undefined): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw smpBadRequest(SMP_ERRORS.badSetElementOrder);
    const key = directiveField(directiveKey, SET_ELEMENT_ORDER_PREFIX, SMP_ERRORS.badSetElementOrder);

    const hasOriginal = Object.hasOwn(original, key);
    const hasPatch = Object.hasOwn(patch, key);
    const originalList = original[key];
    const patchList = patch[key];
    if (hasOriginal && !Array.isArray(originalList)) throw smpBadRequest(SMP_ERRORS.badSetElementOrder);
    if (hasPatch && !Array.isArray(patchList)) throw smpBadRequest(SMP_ERRORS.badSetElementOrder);
    const field = childSchema(schema, key);
    const mergeKey = metaOf(field).patchMergeKey ?? '';
    const liveItems = hasOriginal ? (originalList as unknown[]) : [];
    const patchItems = hasPatch ? (patchList as unknown[]) : [];
    validateAgainstOrder(patchItems, order, mergeKey);

    let merged: unknown[];
    if (hasOriginal && !hasPatch) merged = liveItems;
    else if (!hasOriginal && hasPatch) merged = withoutDirectives(patchItems) as unknown[];
    else if (hasOriginal && hasPatch) {
      merged = mainStrategy(metaOf(field).patchStrategies) === 'merge'
        ? mergeList(liveItems, patchItems, field?.items(), mergeKey, false)
        : (withoutDirectives(patchItems) as unknown[]);
    } else continue;

    const { present, absent } = partitionByPresence(merged, order, mergeKey);
    original[key] = normalizeElementOrder(present, absent, order, liveItems, mergeKey);
    delete patch[key];
  }
}

/** The patch list's items must appear in the `$setElementOrder` list, in the same relative order. */
function validateAgainstOrder(patchItems: readonly unknown[], order: readonly unknown[], mergeKey: string): void {
  if (patchItems.length === 0 || order.length === 0) return;
  const items = mergeKey === '' ? patchItems : patchItems.filter((i) => !(isPlainObject(i) && i[PATCH_DIRECTIVE] === 'delete'));
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (hasPatchDirective(item)) {
      p++;
      continue;
    }
    if (sameIdentity(item, order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw smpBadRequest(
      `The order in patch list:\n${goPrint(patchItems)}\n doesn't match ${SET_ELEMENT_ORDER_PREFIX} list:\n${goPrint(order)}\n`,
    );
  }
}

/** Merges a list whose strategy is `merge` (or a `$deleteFromPrimitiveList` list). */
function mergeList(
  original: unknown[],
  patch: unknown[],
  itemSchema: PatchSchema | undefined,
  mergeKey: string,
  deleteList: boolean,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  if (kind !== 'map') {
    if (deleteList) return original.filter((item) => !patch.includes(item));
    const merged = [...original];
    for (const item of patch) if (!merged.includes(item)) merged.push(item);
    const { present, absent } = partitionByPresence(merged, patch, '');
    return normalizeElementOrder(present, absent, patch, original, '');
  }
  if (mergeKey === '') throw smpBadRequest('cannot merge lists without merge key for Struct');

  let live = original;
  const patchItems: JsonMap[] = [];
  let replace = false;
  for (const item of patch as JsonMap[]) {
    if (!Object.hasOwn(item, PATCH_DIRECTIVE)) {
      patchItems.push(item);
      continue;
    }
    const directive = item[PATCH_DIRECTIVE];
    if (directive === 'delete') {
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
      live = live.filter((candidate) => !sameIdentity(candidate, item, mergeKey));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw smpBadRequest('merging lists cannot yet be specified in the patch');
    } else {
      throw badPatchType(directive, item);
    }
  }
  if (replace) return withoutDirectives(patchItems) as unknown[];

  const merged = [...live];
  for (const item of patchItems) {
    if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    const at = indexByIdentity(merged, item, mergeKey);
    if (at >= 0) {
      merged[at] = mergeMap(merged[at] as JsonMap, item, itemSchema);
    } else {
      discardNulls(item);
      merged.push(withoutDirectives(item));
    }
  }
  const { present, absent } = partitionByPresence(merged, patchItems, mergeKey);
  return normalizeElementOrder(present, absent, patchItems, live, mergeKey);
}

function sameIdentity(a: unknown, b: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return a === b;
  if (!isPlainObject(a)) throw noMergeKey(a, mergeKey);
  if (!isPlainObject(b)) throw noMergeKey(b, mergeKey);
  return a[mergeKey] === b[mergeKey];
}

/** The one element kind shared by every item of the lists; lists of lists are refused. */
function elementKind(...lists: unknown[][]): string {
  let kind: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      const k = kindOf(item);
      if (kind === undefined) {
        if (k === 'list') throw smpUnprocessable();
        kind = k;
      } else if (k !== kind) {
        throw smpBadRequest(`list element types are not identical: ${goPrint(lists)}`);
      }
    }
  }
  return kind ?? 'none';
}

/** The JSON kind of a value, as upstream's type comparison sees it. */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'map';
  return typeof value;
}

/** The patch strategy other than `retainKeys` (`merge`, `replace` or ''). */
function mainStrategy(strategies: readonly string[]): string {
  const others = strategies.filter((s) => s !== 'retainKeys');
  if (others.length > 1 || strategies.length > 2) {
    throw smpBadRequest(`unexpected patch strategy: [${strategies.join(' ')}]`);
  }
  return others[0] ?? '';
}

