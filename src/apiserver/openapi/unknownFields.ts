/**
 * Field validation: removes the fields of an object its kind's schema does not declare
 * (as decoding into upstream's typed structs drops them) and names them as upstream's
 * strict decoding does (`spec.containers[0].foo`).
 */
import { definitionOfKind, loadDefinitions } from './definitions.js';
import { refTarget, type Definitions, type GroupVersionKind, type OpenApiSchema } from './schema.js';

/** Deletes from `obj` every field the schema of `gvk` does not declare and returns their paths ([] for kinds without a schema). */
export function pruneUnknownFields(obj: unknown, gvk: GroupVersionKind): string[] {
  const definition = definitionOfKind(gvk);
  if (definition === undefined) return [];
  const definitions = loadDefinitions();
  const found: string[] = [];
  walk(obj, definitions[definition], '', definitions, found);
  return found;
}

function resolve(schema: OpenApiSchema | undefined, definitions: Definitions): OpenApiSchema | undefined {
  let current = schema;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    const ref = current.$ref ?? current.allOf?.[0]?.$ref;
    if (ref === undefined) return current;
    current = definitions[refTarget(ref)];
  }
  return current;
}

function walk(value: unknown, site: OpenApiSchema | undefined, path: string, definitions: Definitions, found: string[]): void {
  const schema = resolve(site, definitions);
  if (schema === undefined || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, schema.items, `${path}[${i}]`, definitions, found));
    return;
  }
  const { properties, additionalProperties } = schema;
  const record = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(record)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    const declared = properties?.[key];
    if (declared !== undefined) walk(child, declared, childPath, definitions, found);
    else if (typeof additionalProperties === 'object') walk(child, additionalProperties, childPath, definitions, found);
    else if (properties !== undefined && additionalProperties !== true) {
      found.push(childPath);
      delete record[key];
    }
  }
}
