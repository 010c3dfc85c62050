import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../api/status.js';
import { applyMergePatch } from './merge-patch.js';

describe('applyMergePatch', () => {
  test('merges objects key by key and null deletes', () => {
    const original = { metadata: { labels: { a: '1', b: '2' }, annotations: { x: 'y' } }, spec: { replicas: 1 } };
    const out = applyMergePatch(original, { metadata: { labels: { b: null, c: '3' }, annotations: null }, spec: { replicas: 3 } });
    assert.deepEqual(out, { metadata: { labels: { a: '1', c: '3' } }, spec: { replicas: 3 } });
    assert.deepEqual(original.metadata.labels, { a: '1', b: '2' }, 'original untouched');
  });

  test('lists are replaced whole', () => {
    const out = applyMergePatch({ list: [1, 2, 3], objs: [{ a: 1 }] }, { list: [4], objs: [{ b: null }] });
    assert.deepEqual(out, { list: [4], objs: [{ b: null }] });
  });

  test('nulls inside a new object are dropped; deleting a missing key is a no-op', () => {
    const out = applyMergePatch({ a: 1 }, { b: { c: null, d: 2 }, missing: null });
    assert.deepEqual(out, { a: 1, b: { d: 2 } });
  });

  test('an object replaces a scalar and the reverse', () => {
    assert.deepEqual(applyMergePatch({ a: 'x', b: { c: 1 } }, { a: { y: 1 }, b: 'z' }), { a: { y: 1 }, b: 'z' });
  });

  test('a patch that is not an object is 400', () => {
    for (const patch of [[1], 'x', null]) {
      assert.throws(() => applyMergePatch({}, patch), (err: unknown) => err instanceof StatusError && err.code === 400);
    }
  });
});
