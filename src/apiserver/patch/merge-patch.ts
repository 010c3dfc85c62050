/**
 * RFC 7386 JSON merge patch (`application/merge-patch+json`): objects merge key by
 * key, `null` deletes a key, anything else (lists included) replaces.
 */
import { badRequest } from '../../api/status.js';
import { deepCopy, isPlainObject } from '../../api/object.js';

/**
 * Applies `patch` to a copy of `original` and returns the result. A patch that is not
 * a JSON object is rejected with 400 `Invalid JSON Patch`, as upstream does.
 */
export function applyMergePatch<T extends object>(original: T, patch: unknown): T {
  if (!isPlainObject(patch)) throw badRequest('Invalid JSON Patch');
  return mergeValue(original, patch) as T;
}

/** The merge-patch of one value; `target` is never modified. */
function mergeValue(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return deepCopy(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? deepCopy(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergeValue(result[key], value);
  }
  return result;
}
