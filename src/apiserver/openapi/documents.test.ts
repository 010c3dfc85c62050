import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { RESOURCES } from '../../api/resources.js';
import { groupVersionPath } from './operations.js';
import type { OpenApiSchema } from './schema.js';
import { openApiV2Document, servedOpenApiV2Json } from './v2Document.js';
import { definitionOfKind } from './definitions.js';
import { COMPONENT_REF_PREFIX, openApiV3GroupVersion, openApiV3Root, servedOpenApiV3GroupVersion, servedOpenApiV3Root, toV3Schema, v3ComponentSchemas } from './v3Documents.js';

type Json = Record<string, unknown>;

/** Every `$ref` string anywhere in a JSON value. */
function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refsIn(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, nested] of Object.entries(value)) {
      if (key === '$ref' && typeof nested === 'string') found.push(nested);
      else refsIn(nested, found);
    }
  }
  return found;
}

/** Operations of a paths object: [path, method, operation]. */
function operationsOf(paths: Record<string, Json>): [string, string, Json][] {
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item).filter(([method]) => method !== 'parameters').map(([method, op]): [string, string, Json] => [path, method, op as Json]));
}

function sameGvk(a: unknown, group: string, version: string, kind: string): boolean {
  const gvk = a as { group?: string; version?: string; kind?: string } | undefined;
  return gvk?.group === group && gvk.version === version && gvk.kind === kind;
}

function groupVersionDocument(group: string, version: string): { paths: Record<string, Json>; components: { schemas: Record<string, OpenApiSchema> } } {
  const text = openApiV3GroupVersion(groupVersionPath(group, version));
  assert.ok(text, `${group}/${version} has a v3 document`);
  return JSON.parse(text);
}

describe('OpenAPI v2 document', () => {
  const doc = openApiV2Document();

  test('is served as JSON equal to the document, with a gzip and an ETag', () => {
    const served = servedOpenApiV2Json();
    assert.deepEqual(JSON.parse(served.body.toString('utf8')), JSON.parse(JSON.stringify(doc)));
    assert.deepEqual(gunzipSync(served.gzipped()), served.body);
    assert.ok(served.matches(served.etag));
    assert.ok(!served.matches('"other"'));
  });

  test('every $ref resolves to a definition', () => {
    for (const ref of refsIn(doc)) {
      assert.ok(ref.startsWith('#/definitions/') && doc.definitions[ref.slice('#/definitions/'.length)], ref);
    }
  });

  test('every resource has a schema tagged with its kind and operations for it', () => {
    const operations = operationsOf(doc.paths as unknown as Record<string, Json>);
    for (const r of RESOURCES) {
      const tagged = Object.values(doc.definitions).some((s) => s['x-kubernetes-group-version-kind']?.some((g) => sameGvk(g, r.group, r.version, r.kind)));
      assert.ok(tagged, `${r.group}/${r.version} ${r.kind} schema`);
      assert.ok(operations.some(([, , op]) => sameGvk(op['x-kubernetes-group-version-kind'], r.group, r.version, r.kind)), `${r.resource} operations`);
    }
  });

  test('patch operations accept strategic merge patch and declare fieldValidation', () => {
    const patches = operationsOf(doc.paths as unknown as Record<string, Json>).filter(([, method]) => method === 'patch');
    assert.ok(patches.length > 0);
    for (const [path, , op] of patches) {
      assert.ok((op.consumes as string[]).includes('application/strategic-merge-patch+json'), path);
      assert.ok((op.parameters as { name: string; in: string }[]).some((p) => p.name === 'fieldValidation' && p.in === 'query'), path);
    }
  });
});

describe('OpenAPI v3 documents', () => {
  test('the root lists one document per served group version, its URL carrying the hash', () => {
    const root = openApiV3Root();
    const expected = new Set(RESOURCES.map((r) => groupVersionPath(r.group, r.version)));
    assert.deepEqual(new Set(Object.keys(root.paths)), expected);
    for (const [path, entry] of Object.entries(root.paths)) {
      const served = servedOpenApiV3GroupVersion(path);
      assert.ok(served);
      assert.equal(entry.serverRelativeURL, `/openapi/v3/${path}?hash=${served.hash}`);
    }
    assert.deepEqual(JSON.parse(servedOpenApiV3Root().body.toString('utf8')), root);
    assert.equal(openApiV3GroupVersion('apis/nonexistent.example.com/v1'), undefined);
  });

  test('each document is valid JSON whose $refs all resolve within it', () => {
    for (const path of Object.keys(openApiV3Root().paths)) {
      const text = openApiV3GroupVersion(path) ?? '';
      const doc = JSON.parse(text) as { openapi: string; components: { schemas: Record<string, unknown> } };
      assert.equal(doc.openapi, '3.0.0');
      for (const ref of refsIn(doc)) {
        assert.ok(ref.startsWith(COMPONENT_REF_PREFIX) && doc.components.schemas[ref.slice(COMPONENT_REF_PREFIX.length)], `${path}: ${ref}`);
      }
    }
  });

  test('kubectl explain finds every resource: a list path operation names the kind, a schema carries it', () => {
    for (const r of RESOURCES) {
      const doc = groupVersionDocument(r.group, r.version);
      const prefix = `/${groupVersionPath(r.group, r.version)}`;
      const candidates = [`${prefix}/${r.resource}`, `${prefix}/namespaces/{namespace}/${r.resource}`, `${prefix}/${r.resource}/{name}`, `${prefix}/namespaces/{namespace}/${r.resource}/{name}`];
      const named = candidates.some((p) => Object.entries(doc.paths[p] ?? {}).some(([, op]) => sameGvk((op as Json)['x-kubernetes-group-version-kind'], r.group, r.version, r.kind)));
      assert.ok(named, `${r.resource} path`);
      const schema = Object.values(doc.components.schemas).some((s) => s['x-kubernetes-group-version-kind']?.some((g) => sameGvk(g, r.group, r.version, r.kind)));
      assert.ok(schema, `${r.kind} schema`);
    }
  });

  test('Pod, Deployment and ConfigMap schemas carry their kind; field docs survive', () => {
    const core = groupVersionDocument('', 'v1');
    const apps = groupVersionDocument('apps', 'v1');
    assert.ok(sameGvk(core.components.schemas['io.k8s.api.core.v1.Pod']?.['x-kubernetes-group-version-kind']?.[0], '', 'v1', 'Pod'));
    assert.ok(sameGvk(core.components.schemas['io.k8s.api.core.v1.ConfigMap']?.['x-kubernetes-group-version-kind']?.[0], '', 'v1', 'ConfigMap'));
    assert.ok(sameGvk(apps.components.schemas['io.k8s.api.apps.v1.Deployment']?.['x-kubernetes-group-version-kind']?.[0], 'apps', 'v1', 'Deployment'));
    const probe = core.components.schemas['io.k8s.api.core.v1.Container']?.properties?.livenessProbe;
    assert.ok(probe?.description && probe.description.length > 0);
    assert.deepEqual(probe.allOf, [{ $ref: `${COMPONENT_REF_PREFIX}io.k8s.api.core.v1.Probe` }]);
    assert.equal(core.components.schemas['io.k8s.api.core.v1.PodSpec']?.properties?.containers?.['x-kubernetes-patch-merge-key'], 'name');
  });

  test('kubectl apply finds a patch operation taking strategic merge patch for every patchable kind', () => {
    for (const r of RESOURCES.filter((info) => info.verbs.includes('patch'))) {
      const doc = groupVersionDocument(r.group, r.version);
      const patch = operationsOf(doc.paths).find(([, method, op]) => method === 'patch' && sameGvk(op['x-kubernetes-group-version-kind'], r.group, r.version, r.kind));
      assert.ok(patch, r.resource);
      const content = (patch[2].requestBody as { content: Record<string, unknown> }).content;
      assert.ok(content['application/strategic-merge-patch+json'], r.resource);
      assert.ok((patch[2].parameters as { name: string }[]).some((p) => p.name === 'fieldValidation'), r.resource);
    }
  });

  test('toV3Schema wraps references that have siblings in allOf and leaves bare ones', () => {
    const converted = toV3Schema({
      type: 'object',
      properties: {
        bare: { $ref: '#/definitions/A' },
        described: { $ref: '#/definitions/B', description: 'b' },
        list: { type: 'array', items: { $ref: '#/definitions/C' } },
      },
    });
    assert.deepEqual(converted.properties?.bare, { $ref: `${COMPONENT_REF_PREFIX}A` });
    assert.deepEqual(converted.properties?.described, { allOf: [{ $ref: `${COMPONENT_REF_PREFIX}B` }], description: 'b' });
    assert.deepEqual(converted.properties?.list?.items, { $ref: `${COMPONENT_REF_PREFIX}C` });
  });

  test('v3ComponentSchemas holds every kind in the same form the documents publish', () => {
    const components = v3ComponentSchemas();
    const core = groupVersionDocument('', 'v1');
    const pod = definitionOfKind({ group: '', version: 'v1', kind: 'Pod' });
    assert.equal(pod, 'io.k8s.api.core.v1.Pod');
    assert.deepEqual(components[pod], core.components.schemas[pod]);
  });
});
