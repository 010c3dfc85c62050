import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet } from './field-set.js';
import { fieldElement as f, formatPath, keyElement, parsePathElement, serializePathElement } from './path-element.js';
import { toFieldSet } from './to-field-set.js';
import { podSchema } from '../patch/testing/fixture-schemas.js';

describe('path elements', () => {
  test('serialize and parse every kind; keys are sorted by name', () => {
    const key = keyElement([['protocol', 'TCP'], ['containerPort', 80]]);
    assert.equal(serializePathElement(key), 'k:{"containerPort":80,"protocol":"TCP"}');
    for (const text of ['f:name', 'k:{"containerPort":80,"protocol":"TCP"}', 'v:"a"', 'v:3', 'i:2']) {
      assert.equal(serializePathElement(parsePathElement(text)), text);
    }
    assert.throws(() => parsePathElement('x:1'));
  });

  test('formats paths as conflict messages do', () => {
    assert.equal(formatPath([f('spec'), f('containers'), keyElement([['name', 'c']]), f('image')]), '.spec.containers[name="c"].image');
    assert.equal(formatPath([f('metadata'), f('finalizers'), { kind: 'value', value: 'x' }]), '.metadata.finalizers[="x"]');
  });
});

describe('FieldSet', () => {
  test('FieldsV1 round-trips, with "." for members that have children', () => {
    const fields = { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } };
    const set = FieldSet.fromFieldsV1(fields);
    assert.ok(set.has([f('metadata'), f('labels')]));
    assert.ok(set.has([f('metadata'), f('labels'), f('app')]));
    assert.ok(!set.has([f('metadata')]));
    assert.deepEqual(set.toFieldsV1(), fields);
  });

  test('union, difference and intersection work member-wise at every depth', () => {
    const a = FieldSet.of([f('a')], [f('b'), f('c')], [f('b'), f('d')]);
    const b = FieldSet.of([f('b'), f('c')], [f('e')]);
    assert.deepEqual(a.union(b).paths().map(formatPath), ['.a', '.b.c', '.b.d', '.e']);
    assert.deepEqual(a.difference(b).paths().map(formatPath), ['.a', '.b.d']);
    assert.deepEqual(a.intersection(b).paths().map(formatPath), ['.b.c']);
    assert.ok(a.difference(a).isEmpty());
  });

  test('orders fields before keys before values', () => {
    const set = FieldSet.of([f('l'), { kind: 'value', value: 'b' }], [f('l'), { kind: 'value', value: 'a' }], [f('l'), f('z')]);
    assert.deepEqual(Object.keys(set.toFieldsV1()['f:l'] ?? {}), ['f:z', 'v:"a"', 'v:"b"']);
  });
});

describe('toFieldSet', () => {
  test('owns leaves, list items by key (with defaulted keys) and map entries', () => {
    const pod = {
      metadata: { name: 'p', labels: { app: 'web' }, finalizers: ['x'] },
      spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }], args: ['a'] }], nodeSelector: { disk: 'ssd' } },
    };
    assert.deepEqual(toFieldSet(pod, podSchema()).toFieldsV1(), {
      'f:metadata': { 'f:finalizers': { 'v:"x"': {} }, 'f:labels': { 'f:app': {} }, 'f:name': {} },
      'f:spec': {
        'f:containers': {
          'k:{"name":"c"}': {
            '.': {},
            'f:args': {},
            'f:image': {},
            'f:name': {},
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
          },
        },
        'f:nodeSelector': {},
      },
    });
  });

  test('schemaless maps own every key; schemaless lists are atomic', () => {
    assert.deepEqual(toFieldSet({ data: { a: { b: 1 } }, list: [{ x: 1 }] }, undefined).toFieldsV1(), {
      'f:data': { '.': {}, 'f:a': { '.': {}, 'f:b': {} } },
      'f:list': {},
    });
  });
});
