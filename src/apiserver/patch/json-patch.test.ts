import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../api/status.js';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';

const pod = () => ({ metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError, `expected StatusError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

describe('applyJsonPatch', () => {
  test('applies add, replace, remove, move, copy and test in order', () => {
    const original = pod();
    const out = applyJsonPatch(original, [
      { op: 'test', path: '/metadata/labels/app', value: 'web' },
      { op: 'add', path: '/metadata/labels/tier', value: 'front' },
      { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:2' },
      { op: 'copy', from: '/metadata/labels/app', path: '/metadata/annotations' },
      { op: 'move', from: '/metadata/labels/tier', path: '/metadata/labels/role' },
      { op: 'add', path: '/spec/containers/-', value: { name: 'side', image: 'busybox' } },
      { op: 'remove', path: '/metadata/labels/app' },
    ]);
    assert.deepEqual(out.metadata.labels, { role: 'front' });
    assert.equal((out.metadata as Record<string, unknown>).annotations, 'web');
    assert.deepEqual(out.spec.containers.map((c) => c.image), ['nginx:2', 'busybox']);
  });

  test('never modifies the original object', () => {
    const original = pod();
    const before = structuredClone(original);
    applyJsonPatch(original, [{ op: 'replace', path: '/metadata/name', value: 'q' }]);
    assert.deepEqual(original, before);
  });

  test('a failing test op is 422 Invalid with the generic upstream message', () => {
    const err = statusOf(() => applyJsonPatch(pod(), [{ op: 'test', path: '/metadata/name', value: 'other' }]));
    assert.equal(err.code, 422);
    assert.equal(err.reason, 'Invalid');
    assert.equal(err.message, 'the server rejected our request due to an error in our request');
  });

  test('removing or replacing a missing path and unknown ops are 422', () => {
    for (const op of [
      { op: 'remove', path: '/metadata/missing' },
      { op: 'replace', path: '/metadata/missing', value: 1 },
      { op: 'add', path: '/nope/deeper', value: 1 },
      { op: 'frobnicate', path: '/metadata/name' },
    ]) {
      assert.equal(statusOf(() => applyJsonPatch(pod(), [op])).code, 422, JSON.stringify(op));
    }
  });

  test('a patch that is not a list of objects is 400 BadRequest', () => {
    const notList = statusOf(() => applyJsonPatch(pod(), { op: 'add' }));
    assert.equal(notList.code, 400);
    assert.match(notList.message, /cannot unmarshal object into Go value of type jsonpatch\.Patch/);
    const notObject = statusOf(() => applyJsonPatch(pod(), ['x']));
    assert.equal(notObject.code, 400);
    assert.match(notObject.message, /cannot unmarshal string into Go value of type jsonpatch\.Operation/);
  });

  test('too many operations is 413', () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/metadata/name', value: 'p' }));
    const err = statusOf(() => applyJsonPatch(pod(), ops));
    assert.equal(err.code, 413);
    assert.equal(err.message, `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${MAX_JSON_PATCH_OPERATIONS + 1}`);
  });
});
