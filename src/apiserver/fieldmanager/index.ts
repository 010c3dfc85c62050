/**
 * Field management: `metadata.managedFields` upkeep for every write, and server-side
 * apply. The PATCH/CREATE/UPDATE handlers call `updateManagedFields` for non-apply
 * writes and `applyPatch` (after `parseApplyBody`) for `application/apply-patch+yaml`.
 */
export { applyPatch, parseApplyBody, type ApplyOptions, type ApplyResult } from './apply.js';
export { updateManagedFields, type UpdateManagedFieldsOptions } from './update.js';
export { managerOrUserAgent, FIELD_MANAGER_MAX_LENGTH } from './manager-name.js';
export { decodeManagedFields } from './managed-fields.js';
export { fieldElement, type FieldPath, type PathElement } from './path-element.js';
export { LAST_APPLIED_ANNOTATION } from './last-applied.js';
