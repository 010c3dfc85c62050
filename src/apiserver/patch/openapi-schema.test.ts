import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { patchSchemaFromOpenApiV3 } from './openapi-schema.js';
import { childSchema } from './schema.js';
import { deploymentSchema, FIXTURE_COMPONENTS, podSchema } from './testing/fixture-schemas.js';

describe('patchSchemaFromOpenApiV3', () => {
  test('walks allOf-wrapped refs, properties and items to the list metadata', () => {
    const containers = podSchema().property('spec')?.property('containers');
    assert.deepEqual(containers?.meta.patchStrategies, ['merge']);
    assert.equal(containers?.meta.patchMergeKey, 'name');
    assert.equal(containers?.meta.listType, 'map');
    assert.deepEqual(containers?.meta.listMapKeys, ['name']);
    const ports = containers?.items()?.property('ports');
    assert.deepEqual(ports?.meta.listMapKeys, ['containerPort', 'protocol']);
    assert.equal(ports?.items()?.property('protocol')?.meta.defaultValue, 'TCP');
  });

  test('splits combined strategies and keeps site extensions over the target', () => {
    assert.deepEqual(podSchema().property('spec')?.property('volumes')?.meta.patchStrategies, ['merge', 'retainKeys']);
    assert.deepEqual(deploymentSchema().property('spec')?.property('strategy')?.meta.patchStrategies, ['retainKeys']);
    assert.equal(deploymentSchema().property('spec')?.property('selector')?.meta.mapType, 'atomic');
  });

  test('additionalProperties give the schema of map values; unknown names give undefined', () => {
    const labels = podSchema().property('metadata')?.property('labels');
    assert.ok(labels?.additionalProperties());
    assert.equal(labels?.property('app'), undefined);
    assert.ok(childSchema(labels, 'app'));
    assert.equal(podSchema().property('nope'), undefined);
    assert.equal(childSchema(undefined, 'x'), undefined);
  });

  test('an unknown root or dangling ref is an error', () => {
    assert.throws(() => patchSchemaFromOpenApiV3(FIXTURE_COMPONENTS, 'io.k8s.nope'), /unable to resolve/);
    const broken = patchSchemaFromOpenApiV3({ root: { properties: { a: { $ref: '#/components/schemas/missing' } } } }, 'root');
    assert.throws(() => broken.property('a'), /unable to resolve/);
  });
});
