/**
 * ControllerRevision helpers: the hash and name of a revision, its template patch, and
 * which revisions the history keeps.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fnv1, safeEncode } from '../../api/safeNames.js';
import { revisionHash, revisionName } from './revisionHash.js';
import { nextRevisionNumber, revisionsBeyondLimit, revisionsWithData } from './revisions.js';
import type { RevisionObject } from './revisions.js';
import { canonicalJson, templateOfPatch, templatePatch } from './templatePatch.js';

const revision = (name: string, number: number, data: unknown = {}): RevisionObject => ({ metadata: { name }, revision: number, data: data as object });

describe('controller history', () => {
  test('FNV-1 and the safe alphabet are upstream ones', () => {
    assert.equal(fnv1(new TextEncoder().encode('a')), 0x050c5d7e);
    assert.equal(fnv1(new Uint8Array()), 0x811c9dc5);
    assert.equal(safeEncode('0123456789'), '456789bcdf');
  });

  test('a revision hash depends on the data and the collision count only', () => {
    const data = canonicalJson(templatePatch({ metadata: { labels: { app: 'a' } } }));
    assert.equal(revisionHash(data), revisionHash(data));
    assert.notEqual(revisionHash(data), revisionHash(data, 1));
    assert.notEqual(revisionHash(data, 1), revisionHash(data, 2));
    assert.match(revisionHash(data), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(revisionName('web', 'abc'), 'web-abc');
    assert.equal(revisionName('x'.repeat(300), 'h').length, 225);
  });

  test('the template patch replaces the template and reads back', () => {
    const template = { metadata: { labels: { b: '2', a: '1' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    const patch = templatePatch(template);
    assert.equal(canonicalJson(patch), '{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"a":"1","b":"2"}},"spec":{"containers":[{"image":"i","name":"c"}]}}}}');
    assert.deepEqual(templateOfPatch(patch), template);
    assert.equal(templateOfPatch({}), undefined);
  });

  test('revision numbers, equal data and the history limit', () => {
    const revisions = [revision('r3', 3, { a: 1 }), revision('r1', 1, { a: 2 }), revision('r2', 2, { a: 1 })];
    assert.equal(nextRevisionNumber(revisions), 4);
    assert.equal(nextRevisionNumber([]), 1);
    assert.deepEqual(revisionsWithData(revisions, { a: 1 }).map((r) => r.metadata.name), ['r2', 'r3']);
    assert.deepEqual(revisionsBeyondLimit(revisions, new Set(['r3']), 1).map((r) => r.metadata.name), ['r1']);
    assert.deepEqual(revisionsBeyondLimit(revisions, new Set(['r1']), 0).map((r) => r.metadata.name), ['r2', 'r3']);
    assert.deepEqual(revisionsBeyondLimit(revisions, new Set(), 5), []);
  });
});
