/**
 * The strategic-merge-patch / server-side-apply schema of a served kind, read from the
 * same OpenAPI v3 component schemas the server publishes, so list merge keys and
 * strategies match what kubectl computes its patches with.
 */
import type { JSONSchema, PatchSchema } from '../patch/index.js';
import { patchSchemaFromOpenApiV3 } from '../patch/index.js';
import { definitionOfKind } from './definitions.js';
import type { GroupVersionKind } from './schema.js';
import { v3ComponentSchemas } from './v3Documents.js';

const schemas = new Map<string, PatchSchema | undefined>();

/** The patch schema rooted at a kind's definition; undefined for kinds without one (merged atomically). */
export function patchSchemaOfKind(gvk: Pick<GroupVersionKind, 'group' | 'version' | 'kind'>): PatchSchema | undefined {
  const key = `${gvk.group}/${gvk.version}/${gvk.kind}`;
  if (!schemas.has(key)) {
    const definition = definitionOfKind(gvk);
    const components = v3ComponentSchemas() as Record<string, JSONSchema>;
    schemas.set(key, definition === undefined ? undefined : patchSchemaFromOpenApiV3(components, definition));
  }
  return schemas.get(key);
}
