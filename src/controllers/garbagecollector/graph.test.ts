import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { OwnershipGraph, isDeletingDependents, isOrphaning, nodeOf } from './graph.js';

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };

function ref(uid: string, blockOwnerDeletion?: boolean): OwnerReference {
  return { apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid, ...(blockOwnerDeletion === undefined ? {} : { blockOwnerDeletion }) };
}

function node(uid: string, owners: OwnerReference[] = [], extra: { deletionTimestamp?: string; finalizers?: string[] } = {}) {
  return nodeOf({ metadata: { name: uid, namespace: 'ns', uid, ownerReferences: owners, ...extra } }, CONFIGMAPS);
}

describe('ownership graph', () => {
  test('indexes dependents by owner uid and follows changes and removals', () => {
    const graph = new OwnershipGraph();
    graph.upsert(node('a', [ref('owner', true)]));
    graph.upsert(node('b', [ref('owner'), ref('other')]));
    assert.deepEqual(graph.dependents('owner').map((n) => n.uid), ['a', 'b']);
    assert.deepEqual(graph.blockingDependents('owner').map((n) => n.uid), ['a']);

    graph.upsert(node('b', [ref('other')]));
    assert.deepEqual(graph.dependents('owner').map((n) => n.uid), ['a']);
    assert.equal(graph.remove('a')?.uid, 'a');
    assert.deepEqual(graph.dependents('owner'), []);
    assert.deepEqual(graph.dependents('other').map((n) => n.uid), ['b']);
  });

  test('records where the object lives and its deletion state', () => {
    const n = node('x', [], { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] });
    assert.deepEqual(n.target, { ...CONFIGMAPS, namespace: 'ns' });
    assert.equal(isDeletingDependents(n), true);
    assert.equal(isOrphaning(n), false);
    assert.equal(isOrphaning(node('y', [], { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['orphan'] })), true);
    assert.equal(isOrphaning(node('z', [], { finalizers: ['orphan'] })), false, 'not while the object is not being deleted');
    const cluster = nodeOf({ metadata: { name: 'n', uid: 'n' } }, { group: '', version: 'v1', resource: 'nodes' });
    assert.equal(cluster.target.namespace, undefined);
  });
});
