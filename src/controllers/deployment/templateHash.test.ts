/** The pod-template-hash: stable per template, different across templates and collision counts, in upstream's alphabet. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeEncode } from '../../api/safeNames.js';
import { podTemplateHash } from './templateHash.js';

const template = (image: string) => ({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image }] } });

test('one template hashes alike however its keys are ordered; another template or a collision count changes it', () => {
  const a = podTemplateHash(template('a'), undefined);
  assert.match(a, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  assert.equal(podTemplateHash({ spec: { containers: [{ image: 'a', name: 'c' }] }, metadata: { labels: { app: 'x' } } }, undefined), a);
  assert.notEqual(podTemplateHash(template('b'), undefined), a);
  assert.notEqual(podTemplateHash(template('a'), 1), podTemplateHash(template('a'), 0));
  assert.notEqual(podTemplateHash(template('a'), 0), a);
});

test('safe encoding maps each character into the alphabet by its code', () => {
  assert.equal(safeEncode('0123456789'), '456789bcdf');
});
