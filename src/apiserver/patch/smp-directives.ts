/**
 * The directives of strategic merge patch and the errors upstream reports for
 * malformed ones. Where upstream answers a malformed patch with a bare error (a 500),
 * k8ts answers 400 BadRequest with upstream's text: bad input is never a 500.
 */
import { StatusError, badRequest } from '../../api/status.js';
import { isPlainObject } from '../../api/object.js';
import { goPrint } from './go-print.js';

/** `$patch`: `replace`, `delete` or `merge` on a map or a list item. */
export const PATCH_DIRECTIVE = '$patch';
/** `$retainKeys`: the keys of a map that survive the patch. */
export const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
/** `$deleteFromPrimitiveList/<field>`: values to remove from a merging list of primitives. */
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';
/** `$setElementOrder/<field>`: the order of a merging list after the patch. */
export const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';

/** Upstream's mergepatch error texts. */
export const SMP_ERRORS = {
  badJSONDoc: 'invalid JSON document',
  noListOfLists: 'lists of lists are not supported',
  badPrimitiveList: 'invalid patch format of primitive list',
  badRetainKeys: 'invalid patch format of retainKeys',
  badSetElementOrder: 'invalid patch format of setElementOrder list',
} as const;

/** 400 for a patch that does not follow the strategic merge patch format. */
export function smpBadRequest(message: string): StatusError {
  return badRequest(message);
}

/** 422 with upstream's generic text, as returned for lists of lists. */
export function smpUnprocessable(): StatusError {
  return new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

/** `map: map[...] does not contain declared merge key: name`. */
export function noMergeKey(item: unknown, mergeKey: string): StatusError {
  return smpBadRequest(`map: ${goPrint(item)} does not contain declared merge key: ${mergeKey}`);
}

/** `unknown patch type: x in map: map[...]`. */
export function badPatchType(directive: unknown, item: unknown): StatusError {
  return smpBadRequest(`unknown patch type: ${goPrint(directive)} in map: ${goPrint(item)}`);
}

/** True for a key that is a strategic-merge directive rather than a field. */
export function isDirectiveKey(key: string): boolean {
  return (
    key === PATCH_DIRECTIVE ||
    key === RETAIN_KEYS_DIRECTIVE ||
    key.startsWith(`${DELETE_FROM_PRIMITIVE_LIST_PREFIX}/`) ||
    key.startsWith(`${SET_ELEMENT_ORDER_PREFIX}/`)
  );
}

/** The field a prefixed directive key refers to (`$setElementOrder/containers` → `containers`). */
export function directiveField(key: string, prefix: string, malformed: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw smpBadRequest(malformed);
  return key.slice(slash + 1);
}

/** True for a map carrying `$patch`. */
export function hasPatchDirective(item: unknown): boolean {
  return isPlainObject(item) && Object.hasOwn(item, PATCH_DIRECTIVE);
}

/**
 * A patch value made fit to store where nothing was before: maps carrying `$patch`
 * vanish (the result is `undefined`), directive keys and list items are dropped.
 * Returns a fresh value.
 */
export function withoutDirectives(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const kept = withoutDirectives(item);
      if (kept !== undefined) out.push(kept);
    }
    return out;
  }
  if (isPlainObject(value)) {
    if (Object.hasOwn(value, PATCH_DIRECTIVE)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (isDirectiveKey(key)) continue;
      const kept = withoutDirectives(child);
      if (kept !== undefined) out[key] = kept;
    }
    return out;
  }
  return value;
}

/** Removes `null` map values at every depth (nulls inside lists stay), in place. */
export function discardNulls(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) discardNulls(item);
  } else if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (child === null) delete value[key];
      else discardNulls(child);
    }
  }
}
