/**
 * The patch formats the PATCH handler serves: JSON patch (RFC 6902), JSON merge patch
 * (RFC 7386) and strategic merge patch, plus the schema view they (and server-side
 * apply) read.
 */
export { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';
export { patchSchemaFromOpenApiV3, type JSONSchema } from './openapi-schema.js';
export { childSchema, metaOf, type ListType, type MapType, type PatchMeta, type PatchSchema } from './schema.js';
export { applyPatchOfType, isNonApplyPatchType, NON_APPLY_PATCH_TYPES, type NonApplyPatchType } from './byMediaType.js';
