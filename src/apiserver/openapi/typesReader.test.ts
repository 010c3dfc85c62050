import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { INT_OR_STRING } from './definitionNames.js';
import { readKubernetesTypes, readModule } from './typesReader.js';
import type { Definitions } from './schema.js';

const packageDir = path.dirname(createRequire(import.meta.url).resolve('kubernetes-types/package.json'));

const SAMPLE = `import { ObjectMeta } from "../meta/v1";
/**
 * Widget is a sample kind.
 *
 * It has two paragraphs.
 */
export interface Widget {
    /** APIVersion of the widget. */
    apiVersion?: "toys.example.com/v1";
    kind?: "Widget";
    metadata?: ObjectMeta;
    /** Port by number or name. */
    port: number | string;
    tags?: Array<string>;
    limits?: {
        [name: string]: Size;
    };
    parts?: Part[];
}
/** A part. */
export interface Part {
    name: string;
}
/** Size is a string with units. */
export type Size = string;
`;

describe('readModule', () => {
  const definitions: Definitions = {};
  readModule('toys/v1', SAMPLE, definitions);
  const widget = definitions['io.k8s.api.toys.v1.Widget'];

  test('names definitions after the module path and resolves imports to upstream packages', () => {
    assert.deepEqual(Object.keys(definitions).sort(), ['io.k8s.api.toys.v1.Part', 'io.k8s.api.toys.v1.Size', 'io.k8s.api.toys.v1.Widget']);
    assert.equal(widget?.properties?.metadata?.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  });

  test('keeps doc comments as descriptions, paragraphs included', () => {
    assert.equal(widget?.description, 'Widget is a sample kind.\n\nIt has two paragraphs.');
    assert.equal(widget?.properties?.apiVersion?.description, 'APIVersion of the widget.');
    assert.equal(widget?.properties?.kind?.description, undefined);
  });

  test('derives the group/version/kind from literal apiVersion and kind', () => {
    assert.deepEqual(widget?.['x-kubernetes-group-version-kind'], [{ group: 'toys.example.com', kind: 'Widget', version: 'v1' }]);
    assert.equal(definitions['io.k8s.api.toys.v1.Part']?.['x-kubernetes-group-version-kind'], undefined);
  });

  test('maps TypeScript shapes to schemas', () => {
    assert.equal(widget?.properties?.port?.$ref, `#/definitions/${INT_OR_STRING}`);
    assert.deepEqual(widget?.properties?.tags, { type: 'array', items: { type: 'string' } });
    assert.deepEqual(widget?.properties?.limits?.additionalProperties, { $ref: '#/definitions/io.k8s.api.toys.v1.Size' });
    assert.deepEqual(widget?.properties?.parts?.items, { $ref: '#/definitions/io.k8s.api.toys.v1.Part' });
    assert.deepEqual(definitions['io.k8s.api.toys.v1.Size'], { description: 'Size is a string with units.', type: 'string' });
  });

  test('lists non-optional members as required', () => {
    assert.deepEqual(widget?.required, ['port']);
  });
});

describe('readKubernetesTypes', () => {
  const definitions = readKubernetesTypes(packageDir);

  test('reads the served kinds with upstream names', () => {
    for (const name of ['io.k8s.api.core.v1.Pod', 'io.k8s.api.apps.v1.Deployment', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']) {
      assert.ok(definitions[name], name);
    }
    const time = definitions['io.k8s.apimachinery.pkg.apis.meta.v1.Time'];
    assert.equal(time?.type, 'string');
    assert.equal(time?.format, 'date-time');
    assert.equal(definitions[INT_OR_STRING]?.format, 'int-or-string');
  });

  test('field descriptions equal the doc comments TypeScript itself reads', () => {
    const text = readFileSync(path.join(packageDir, 'core/v1.d.ts'), 'utf8');
    const source = ts.createSourceFile('v1.d.ts', text, ts.ScriptTarget.Latest, true);
    const container = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'Container');
    const member = container?.members.find((m) => m.name?.getText() === 'livenessProbe');
    assert.ok(member);
    const [doc] = ts.getJSDocCommentsAndTags(member);
    assert.ok(doc && ts.isJSDoc(doc));
    const expected = ts.getTextOfJSDocComment(doc.comment);
    assert.ok(expected);
    assert.equal(definitions['io.k8s.api.core.v1.Container']?.properties?.livenessProbe?.description, expected);
  });

  test('every reference names a definition', () => {
    const missing: string[] = [];
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') {
        for (const [key, nested] of Object.entries(value)) {
          if (key === '$ref' && typeof nested === 'string' && !definitions[nested.replace('#/definitions/', '')]) missing.push(nested);
          else visit(nested);
        }
      }
    };
    visit(definitions);
    assert.deepEqual(missing, []);
  });
});
