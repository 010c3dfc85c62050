/**
 * The strategic-merge-patch schema of a resource, derived from the OpenAPI v3
 * document of its group-version.
 */
import type { ResourceInfo } from '../../api/resources.js';
import type { PatchSchema } from '../patch/index.js';

/** The patch schema of a resource's kind; undefined when none is known (atomic merge). */
export function patchSchemaFor(_info: ResourceInfo): PatchSchema | undefined {
  return undefined;
}
