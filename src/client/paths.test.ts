import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findResource } from '../api/resources.js';
import { qualifiedResource, resourcePath, targetOf } from './paths.js';

describe('resourcePath', () => {
  test('core and named groups, namespaced and cluster-scoped, objects and subresources', () => {
    assert.equal(resourcePath({ group: '', version: 'v1', resource: 'pods', namespace: 'ns' }, 'p', 'status'), '/api/v1/namespaces/ns/pods/p/status');
    assert.equal(resourcePath({ group: '', version: 'v1', resource: 'pods' }), '/api/v1/pods');
    assert.equal(resourcePath({ group: 'apps', version: 'v1', resource: 'deployments', namespace: 'ns' }), '/apis/apps/v1/namespaces/ns/deployments');
    assert.equal(resourcePath(targetOf(findResource('', 'v1', 'nodes')!), 'n1'), '/api/v1/nodes/n1');
    assert.equal(resourcePath(targetOf(findResource('', 'v1', 'namespaces')!), 'ns', 'finalize'), '/api/v1/namespaces/ns/finalize');
  });

  test('escapes names and rejects impossible requests', () => {
    assert.equal(resourcePath({ group: '', version: 'v1', resource: 'configmaps', namespace: 'ns' }, 'a b/c'), '/api/v1/namespaces/ns/configmaps/a%20b%2Fc');
    assert.throws(() => resourcePath({ group: '', version: 'v1', resource: 'nodes', namespace: 'ns' }, 'n1'));
    assert.throws(() => resourcePath({ group: '', version: 'v1', resource: 'pods', namespace: 'ns' }, ''));
    assert.throws(() => resourcePath({ group: '', version: 'v1', resource: 'pods', namespace: 'ns' }, undefined, 'status'));
  });

  test('qualified names as upstream prints them', () => {
    assert.equal(qualifiedResource({ group: '', version: 'v1', resource: 'pods' }), 'pods');
    assert.equal(qualifiedResource({ group: 'apps', version: 'v1', resource: 'deployments' }), 'deployments.apps');
  });
});
