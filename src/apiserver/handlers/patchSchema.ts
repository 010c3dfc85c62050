/**
 * The strategic-merge-patch schema of a resource, derived from the OpenAPI v3
 * document of its group-version.
 */
import type { ResourceInfo } from '../../api/resources.js';
import { definitionOfKind } from '../openapi/definitions.js';
import { v3ComponentSchemas } from '../openapi/v3Documents.js';
import { patchSchemaFromOpenApiV3 } from '../patch/index.js';
import type { JSONSchema, PatchSchema } from '../patch/index.js';

/** The patch schema of a resource's kind; undefined when none is known (atomic merge). */
export function patchSchemaFor(info: ResourceInfo): PatchSchema | undefined {
  const definition = definitionOfKind({ group: info.group, version: info.version, kind: info.kind });
  if (definition === undefined) return undefined;
  return patchSchemaFromOpenApiV3(v3ComponentSchemas() as Record<string, JSONSchema>, definition);
}
