/**
 * Build step: derives the OpenAPI definitions catalog from the `kubernetes-types`
 * dependency (schemas and field descriptions) and our patch-metadata table, and
 * writes it where the server reads it (`dist/src/apiserver/openapi/generated/`).
 * Run after tsc: `node dist/scripts/generate-openapi.js`. Exits non-zero on any
 * mismatch between the table and the types.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { GENERATED_DEFINITIONS_PATH } from '../src/apiserver/openapi/definitions.js';
import { applyPatchMetadata } from '../src/apiserver/openapi/patchMetadata.js';
import { readKubernetesTypes } from '../src/apiserver/openapi/typesReader.js';

const packageDir = path.dirname(createRequire(import.meta.url).resolve('kubernetes-types/package.json'));
const definitions = readKubernetesTypes(packageDir);
const problems = applyPatchMetadata(definitions);
if (problems.length > 0) {
  for (const problem of problems) console.error(`generate-openapi: ${problem}`);
  process.exit(1);
}
mkdirSync(path.dirname(GENERATED_DEFINITIONS_PATH), { recursive: true });
writeFileSync(GENERATED_DEFINITIONS_PATH, JSON.stringify(definitions));
console.log(`generate-openapi: ${Object.keys(definitions).length} definitions → ${path.relative(process.cwd(), GENERATED_DEFINITIONS_PATH)}`);
