/**
 * The three non-apply patch formats by their PATCH Content-Type.
 */
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import type { PatchSchema } from './schema.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

/** Content-Types of the patch formats `applyPatchOfType` applies. */
export const NON_APPLY_PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'] as const;

/** A non-apply patch content type. */
export type NonApplyPatchType = (typeof NON_APPLY_PATCH_TYPES)[number];

/** True for the content types `applyPatchOfType` knows. */
export function isNonApplyPatchType(type: string): type is NonApplyPatchType {
  return (NON_APPLY_PATCH_TYPES as readonly string[]).includes(type);
}

/** Applies `patch` of content type `type` to `target` (not mutated); `schema` guides strategic merge. */
export function applyPatchOfType<T extends object>(type: NonApplyPatchType, target: T, patch: unknown, schema: PatchSchema | undefined): T {
  switch (type) {
    case 'application/json-patch+json':
      return applyJsonPatch(target, patch);
    case 'application/merge-patch+json':
      return applyMergePatch(target, patch);
    default:
      return applyStrategicMergePatch(target, patch, schema);
  }
}
