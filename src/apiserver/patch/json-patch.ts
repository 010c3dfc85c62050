/**
 * RFC 6902 JSON patch (`application/json-patch+json`), applied with fast-json-patch,
 * with upstream's error mapping: a patch document that is not a list of operation
 * objects is 400 BadRequest; more than 10000 operations is 413; any operation that
 * fails to apply (a failing `test`, a missing path, an unknown op) is 422 Invalid with
 * upstream's generic message.
 */
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { StatusError, badRequest, tooLarge } from '../../api/status.js';
import { deepCopy, isPlainObject } from '../../api/object.js';

/** Upstream's cap on operations in one JSON patch. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** The 422 upstream returns for a JSON patch that does not apply (its message hides the cause). */
export function jsonPatchApplyFailed(): StatusError {
  return new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

/**
 * Applies `patch` (the parsed request body) to a copy of `original` and returns the
 * result; `original` is not modified. Throws StatusError as described above.
 */
export function applyJsonPatch<T extends object>(original: T, patch: unknown): T {
  const operations = decodeOperations(patch);
  if (operations.length > MAX_JSON_PATCH_OPERATIONS) {
    throw tooLarge(
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${operations.length}`,
    );
  }
  try {
    return jsonpatch.applyPatch(deepCopy(original), operations, true, true).newDocument;
  } catch (err) {
    if (err instanceof jsonpatch.JsonPatchError || err instanceof TypeError) throw jsonPatchApplyFailed();
    throw err;
  }
}

function decodeOperations(patch: unknown): Operation[] {
  if (!Array.isArray(patch)) {
    throw badRequest(`json: cannot unmarshal ${goJsonKind(patch)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of patch) {
    if (!isPlainObject(op)) {
      throw badRequest(`json: cannot unmarshal ${goJsonKind(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  return deepCopy(patch) as Operation[];
}

/** The JSON kind name Go's decoder uses in its type errors. */
function goJsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  return typeof value;
}
