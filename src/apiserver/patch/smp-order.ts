/**
 * Element order of merged lists in strategic merge patch. Precedence, as upstream:
 * a `$setElementOrder` list, then the order in the patch, then the live order. Items
 * only the server has are interleaved with the patch's items by their live positions.
 */
import { isPlainObject } from '../../api/object.js';
import { PATCH_DIRECTIVE, noMergeKey } from './smp-directives.js';

/** What identifies a list item: its merge-key value for maps, itself for primitives. */
function identity(item: unknown, mergeKey: string): unknown {
  if (mergeKey === '') return item;
  return isPlainObject(item) ? item[mergeKey] : undefined;
}

/** Position of `item` in `list` by identity, or -1. */
export function indexByIdentity(list: readonly unknown[], item: unknown, mergeKey: string): number {
  const id = identity(item, mergeKey);
  return list.findIndex((candidate) => identity(candidate, mergeKey) === id);
}

/** Splits `merged` into the items found in `by` (by identity) and the others, keeping order. */
export function partitionByPresence(
  merged: readonly unknown[],
  by: readonly unknown[],
  mergeKey: string,
): { present: unknown[]; absent: unknown[] } {
  const present: unknown[] = [];
  const absent: unknown[] = [];
  for (const item of merged) {
    if (mergeKey !== '') {
      if (!isPlainObject(item) || !Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    }
    (indexByIdentity(by, item, mergeKey) >= 0 ? present : absent).push(item);
  }
  return { present, absent };
}

/**
 * Orders the union of `fromPatch` (sorted by `patchOrder`) and `serverOnly` (sorted by
 * `serverOrder`), interleaving server-only items by where they sit in `serverOrder`.
 */
export function normalizeElementOrder(
  fromPatch: readonly unknown[],
  serverOnly: readonly unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
): unknown[] {
  const right = sortByOrder(fromPatch, patchOrder, mergeKey);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexByIdentity(serverOrder, left[i], mergeKey);
      const ri = indexByIdentity(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** A stable sort of `items` by their position in `order`; `$patch: delete` items go last. */
function sortByOrder(items: readonly unknown[], order: readonly unknown[], mergeKey: string): unknown[] {
  let kept = [...items];
  let deletions: unknown[] = [];
  if (mergeKey !== '') {
    for (const item of [...items, ...order]) {
      if (!isPlainObject(item) || !Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    }
    deletions = kept.filter((item) => isPlainObject(item) && item[PATCH_DIRECTIVE] === 'delete');
    kept = kept.filter((item) => !(isPlainObject(item) && item[PATCH_DIRECTIVE] === 'delete'));
  }
  const ranked = kept.map((item, at) => ({ item, at, rank: indexByIdentity(order, item, mergeKey) }));
  ranked.sort((a, b) => (a.rank >= 0 && b.rank >= 0 ? a.rank - b.rank : a.at - b.at));
  return [...ranked.map((r) => r.item), ...deletions];
}
