import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { applyPatchMetadata, ATOMIC_STRUCTS, FIELD_PATCH_METADATA } from './patchMetadata.js';
import { readKubernetesTypes } from './typesReader.js';

const packageDir = path.dirname(createRequire(import.meta.url).resolve('kubernetes-types/package.json'));

describe('applyPatchMetadata', () => {
  const definitions = readKubernetesTypes(packageDir);
  const problems = applyPatchMetadata(definitions);
  const field = (type: string, name: string) => definitions[`io.k8s.api.${type}`]?.properties?.[name];

  test('every table entry names an existing list, map or struct field', () => {
    assert.deepEqual(problems, []);
  });

  test('publishes every entry as x-kubernetes extensions', () => {
    for (const [type, fields] of Object.entries(FIELD_PATCH_METADATA)) {
      for (const [name, metadata] of Object.entries(fields)) {
        const property = definitions[type]?.properties?.[name];
        assert.equal(property?.['x-kubernetes-patch-strategy'], metadata.patchStrategy, `${type}.${name}`);
        assert.equal(property?.['x-kubernetes-patch-merge-key'], metadata.patchMergeKey, `${type}.${name}`);
        assert.equal(property?.['x-kubernetes-list-type'], metadata.listType, `${type}.${name}`);
        assert.deepEqual(property?.['x-kubernetes-list-map-keys'], metadata.listMapKeys ? [...metadata.listMapKeys] : undefined);
      }
    }
    for (const type of ATOMIC_STRUCTS) assert.equal(definitions[type]?.['x-kubernetes-map-type'], 'atomic', type);
  });

  test('merges the lists kubectl apply merges by key', () => {
    assert.equal(field('core.v1.PodSpec', 'containers')?.['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(field('core.v1.PodSpec', 'volumes')?.['x-kubernetes-patch-strategy'], 'merge,retainKeys');
    assert.equal(field('core.v1.Container', 'env')?.['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(field('core.v1.Container', 'volumeMounts')?.['x-kubernetes-patch-merge-key'], 'mountPath');
    assert.deepEqual(field('core.v1.Container', 'ports')?.['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
    assert.deepEqual(field('core.v1.ServiceSpec', 'ports')?.['x-kubernetes-list-map-keys'], ['port', 'protocol']);
    assert.equal(field('core.v1.PodSpec', 'tolerations')?.['x-kubernetes-list-type'], 'atomic');
    assert.equal(field('apps.v1.DeploymentSpec', 'strategy')?.['x-kubernetes-patch-strategy'], 'retainKeys');
    const meta = definitions['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']?.properties;
    assert.equal(meta?.ownerReferences?.['x-kubernetes-patch-merge-key'], 'uid');
    assert.equal(meta?.finalizers?.['x-kubernetes-patch-strategy'], 'merge');
  });

  test('reports entries that do not match the types', () => {
    const withoutContainers = { 'io.k8s.api.core.v1.PodSpec': { type: 'object' as const, properties: {} } };
    assert.ok(applyPatchMetadata(withoutContainers).some((problem) => problem.includes('io.k8s.api.core.v1.PodSpec.containers')));
    const notAList = { 'io.k8s.api.core.v1.PodSpec': { type: 'object' as const, properties: { containers: { type: 'string' as const } } } };
    assert.ok(applyPatchMetadata(notAList).some((problem) => problem.includes('non-list field io.k8s.api.core.v1.PodSpec.containers')));
  });
});
