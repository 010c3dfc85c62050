import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import { StatusError } from '../status.js';
import {
  compileFieldSelector,
  escapeFieldValue,
  parseFieldSelector,
  unescapeFieldValue,
} from './fieldSelector.js';

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError);
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    return err.message;
  }
  assert.fail('expected a rejection');
}

const pod = (name: string, namespace: string, nodeName?: string): KubeObject => ({
  metadata: { name, namespace },
  spec: nodeName === undefined ? {} : { nodeName },
});
const podFields = { 'spec.nodeName': (obj: KubeObject) => (obj.spec as { nodeName?: string }).nodeName };

describe('parseFieldSelector', () => {
  test('=, == and != with comma as AND', () => {
    const s = parseFieldSelector('a=1,b==2,c!=3');
    const fields: Record<string, string> = { a: '1', b: '2', c: '4' };
    assert.ok(s.matches((f) => fields[f]));
    assert.ok(!s.matches((f) => ({ ...fields, c: '3' })[f]));
  });

  test('absent fields read as the empty string', () => {
    assert.ok(parseFieldSelector('spec.nodeName=').matches(() => undefined));
    assert.ok(parseFieldSelector('spec.nodeName!=x').matches(() => undefined));
  });

  test('escaped commas and equals signs belong to the value', () => {
    const s = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d');
    assert.equal(s.requiredValue('metadata.name'), 'a,b=c\\d');
    assert.equal(s.toString(), 'metadata.name=a\\,b\\=c\\\\d');
  });

  test('escape and unescape round-trip any value', () => {
    for (const value of ['', 'plain', 'a,b', 'x=y', 'back\\slash', ',=\\']) {
      assert.equal(unescapeFieldValue(escapeFieldValue(value)), value);
    }
  });

  test('malformed selectors are rejected with upstream messages', () => {
    assert.equal(rejection(() => parseFieldSelector('name')), "invalid selector: 'name'; can't understand 'name'");
    assert.equal(
      rejection(() => parseFieldSelector('a=1,b')),
      "invalid selector: 'a=1,b'; can't understand 'b'",
    );
    assert.equal(
      rejection(() => parseFieldSelector('a=b=c')),
      'invalid field selector: unescaped character in value: 61',
    );
    assert.equal(rejection(() => parseFieldSelector('a=b\\x')), 'invalid field selector: invalid escape sequence: \\x');
    assert.equal(rejection(() => parseFieldSelector('a=b\\')), 'invalid field selector: invalid escape sequence: \\');
  });

  test('empty text and empty terms select everything', () => {
    assert.ok(parseFieldSelector('').isEmpty());
    assert.ok(parseFieldSelector(',,').isEmpty());
  });
});

describe('field support', () => {
  test('resources with their own fields answer field label not supported', () => {
    assert.equal(
      rejection(() => compileFieldSelector('spec.bogus=1', podFields)),
      'field label not supported: spec.bogus',
    );
  });

  test('resources with metadata only answer upstream\'s default message', () => {
    assert.equal(
      rejection(() => compileFieldSelector('data.x=1')),
      '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });

  test('a predicate decides support', () => {
    assert.equal(
      rejection(() => parseFieldSelector('x=1', (f) => f !== 'x')),
      'field label not supported: x',
    );
    assert.ok(parseFieldSelector('y=1', (f) => f !== 'x').matches(() => '1'));
  });

  test('compiled selectors read metadata and strategy fields of objects', () => {
    const onNode = compileFieldSelector('spec.nodeName=n1,metadata.namespace!=kube-system', podFields);
    assert.ok(onNode.matches(pod('a', 'default', 'n1')));
    assert.ok(!onNode.matches(pod('b', 'kube-system', 'n1')));
    assert.ok(!onNode.matches(pod('c', 'default')));
    const unscheduled = compileFieldSelector('spec.nodeName=', podFields);
    assert.ok(unscheduled.matches(pod('c', 'default')));
    assert.ok(compileFieldSelector('metadata.name=a').matches(pod('a', 'x')));
  });
});
