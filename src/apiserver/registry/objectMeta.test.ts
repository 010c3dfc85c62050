import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './objectMeta.js';

const render = (errs: ReadonlyArray<{ field: string; detail: string }>): string[] => errs.map((e) => `${e.field}: ${e.detail}`);

describe('validateObjectMeta', () => {
  test('name is required unless generated, and must match the rule', () => {
    assert.deepEqual(render(validateObjectMeta({ metadata: { namespace: 'd' } }, { namespaced: true })), [
      'metadata.name: Required value: name or generateName is required',
    ]);
    const bad = validateObjectMeta({ metadata: { name: 'Bad', namespace: 'd' } }, { namespaced: true });
    assert.equal(bad[0]?.field, 'metadata.name');
    assert.match(bad[0]?.detail ?? '', /^Invalid value: "Bad": a lowercase RFC 1123 subdomain/);
    assert.deepEqual(validateObjectMeta({ metadata: { name: 'a.b', namespace: 'd' } }, { namespaced: true, nameValidation: 'dns1123Label' }).map((e) => e.detail), [
      'Invalid value: "a.b": must not contain dots',
    ]);
  });

  test('namespace is required for namespaced and forbidden for cluster resources', () => {
    assert.deepEqual(render(validateObjectMeta({ metadata: { name: 'x' } }, { namespaced: true })), ['metadata.namespace: Required value']);
    assert.deepEqual(render(validateObjectMeta({ metadata: { name: 'x', namespace: 'd' } }, { namespaced: false })), [
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
  });

  test('labels, owner references and finalizers are checked', () => {
    const obj: KubeObject = {
      metadata: {
        name: 'x',
        labels: { 'bad key!': 'v' },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true },
          { apiVersion: '', kind: '', name: '', uid: '' },
        ],
        finalizers: ['custom'],
      },
    };
    const fields = render(validateObjectMeta(obj, { namespaced: false }));
    assert.ok(fields.some((f) => f.startsWith('metadata.labels: Invalid value: "bad key!"')));
    assert.ok(fields.some((f) => f.includes('Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b')));
    assert.ok(fields.includes('metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty'));
    assert.ok(fields.includes('metadata.ownerReferences.uid: Invalid value: "": must not be empty'));
    assert.ok(fields.includes('metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified'));
  });
});

describe('validateObjectMetaUpdate', () => {
  test('identity fields are immutable and generation never decreases', () => {
    const old: KubeObject = { metadata: { name: 'a', namespace: 'd', uid: 'u1', generation: 3, creationTimestamp: '2024-01-01T00:00:00Z' } };
    const next: KubeObject = { metadata: { name: 'b', namespace: 'd', uid: 'u2', generation: 2, creationTimestamp: '2024-01-01T00:00:00Z' } };
    assert.deepEqual(render(validateObjectMetaUpdate(next, old)), [
      'metadata.generation: Invalid value: 2: must not be decremented',
      'metadata.name: Invalid value: "b": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
    ]);
  });

  test('no new finalizers while deleting', () => {
    const old: KubeObject = { metadata: { name: 'a', deletionTimestamp: 't', finalizers: ['a.io/x'] } };
    const next: KubeObject = { metadata: { name: 'a', deletionTimestamp: 't', finalizers: ['a.io/x', 'b.io/y'] } };
    assert.deepEqual(render(validateObjectMetaUpdate(next, old)), [
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
    ]);
  });
});
