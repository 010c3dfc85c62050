/**
 * The definitions catalog at run time: the JSON the build step
 * (`scripts/generate-openapi.ts`) wrote from `kubernetes-types`, read lazily on first
 * use and kept in memory, plus the look-ups the document builders need.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { refTarget, type Definitions, type GroupVersionKind, type OpenApiSchema } from './schema.js';

/** Where the build step writes the catalog, beside this module's compiled file. */
export const GENERATED_DEFINITIONS_PATH = fileURLToPath(new URL('./generated/definitions.json', import.meta.url));

let catalog: Definitions | undefined;
let byKind: Map<string, string> | undefined;

/** The whole catalog; throws if the build step has not run. */
export function loadDefinitions(): Definitions {
  if (!catalog) {
    let text: string;
    try {
      text = readFileSync(GENERATED_DEFINITIONS_PATH, 'utf8');
    } catch (error) {
      throw new Error(`OpenAPI definitions missing at ${GENERATED_DEFINITIONS_PATH}: run node dist/scripts/generate-openapi.js after tsc`, { cause: error });
    }
    catalog = JSON.parse(text) as Definitions;
  }
  return catalog;
}

function kindKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}

/** The definition name of the schema tagged with this group/version/kind, if any. */
export function definitionOfKind(gvk: GroupVersionKind): string | undefined {
  if (!byKind) {
    byKind = new Map();
    for (const [name, schema] of Object.entries(loadDefinitions())) {
      for (const tagged of schema['x-kubernetes-group-version-kind'] ?? []) byKind.set(kindKey(tagged), name);
    }
  }
  return byKind.get(kindKey(gvk));
}

/** Calls `visit` with every schema nested in `schema` (itself included). */
export function walkSchema(schema: OpenApiSchema, visit: (schema: OpenApiSchema) => void): void {
  visit(schema);
  for (const property of Object.values(schema.properties ?? {})) walkSchema(property, visit);
  for (const member of schema.allOf ?? []) walkSchema(member, visit);
  if (schema.items) walkSchema(schema.items, visit);
  if (typeof schema.additionalProperties === 'object') walkSchema(schema.additionalProperties, visit);
}

/** The names of `roots` and of every definition they reference, directly or not, sorted. */
export function referenceClosure(definitions: Definitions, roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (seen.has(name)) continue;
    const schema = definitions[name];
    if (!schema) throw new Error(`OpenAPI definition ${name} is referenced but not defined`);
    seen.add(name);
    walkSchema(schema, (nested) => {
      if (nested.$ref) pending.push(refTarget(nested.$ref));
    });
  }
  return [...seen].sort();
}
