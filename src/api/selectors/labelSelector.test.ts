import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../status.js';
import {
  LabelSelector,
  formatLabels,
  labelSelectorFromObject,
  labelSelectorFromSet,
  parseLabelSelector,
  selectorToString,
} from './labelSelector.js';

/** The BadRequest message a bad selector produces. */
function parseError(text: string): string {
  try {
    parseLabelSelector(text);
  } catch (err) {
    assert.ok(err instanceof StatusError, `expected a StatusError for ${JSON.stringify(text)}`);
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    return err.message;
  }
  assert.fail(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseLabelSelector', () => {
  test('equality operators match exactly one value', () => {
    for (const text of ['app=web', 'app==web', ' app = web ']) {
      const s = parseLabelSelector(text);
      assert.ok(s.matches({ app: 'web', other: 'x' }), text);
      assert.ok(!s.matches({ app: 'db' }), text);
      assert.ok(!s.matches({}), text);
    }
  });

  test('!= and notin also match objects without the key', () => {
    for (const text of ['app!=web', 'app notin (web,db)']) {
      const s = parseLabelSelector(text);
      assert.ok(s.matches({}), text);
      assert.ok(s.matches({ app: 'cache' }), text);
      assert.ok(!s.matches({ app: 'web' }), text);
    }
  });

  test('in requires the key with one of the values', () => {
    const s = parseLabelSelector('tier in (front, back)');
    assert.ok(s.matches({ tier: 'back' }));
    assert.ok(!s.matches({ tier: 'middle' }));
    assert.ok(!s.matches({}));
  });

  test('bare key means exists, !key means does not exist', () => {
    const s = parseLabelSelector('a,!b');
    assert.ok(s.matches({ a: '' }));
    assert.ok(!s.matches({ a: '1', b: '2' }));
    assert.ok(!s.matches({ c: '3' }));
  });

  test('comma is AND; empty text selects everything', () => {
    const s = parseLabelSelector('a=1,b=2');
    assert.ok(s.matches({ a: '1', b: '2' }));
    assert.ok(!s.matches({ a: '1' }));
    assert.ok(parseLabelSelector('').isEmpty());
    assert.ok(parseLabelSelector('  ').matches(undefined));
  });

  test('gt and lt compare integers', () => {
    const s = parseLabelSelector('n>5,n<10');
    assert.ok(s.matches({ n: '7' }));
    assert.ok(!s.matches({ n: '5' }));
    assert.ok(!s.matches({ n: 'seven' }));
  });

  test('empty values: a=, in () and (,) select the empty value', () => {
    assert.ok(parseLabelSelector('a=').matches({ a: '' }));
    assert.ok(parseLabelSelector('a in ()').matches({ a: '' }));
    const s = parseLabelSelector('a in (x,)');
    assert.ok(s.matches({ a: '' }) && s.matches({ a: 'x' }));
  });

  test('in and notin are plain values inside value lists', () => {
    assert.ok(parseLabelSelector('in in (in, notin)').matches({ in: 'notin' }));
  });

  test('canonical text sorts requirements by key and set values', () => {
    const s = parseLabelSelector('z notin (b,a), y, !x, w==1, v>3, u=2');
    assert.equal(s.toString(), 'u=2,v>3,w==1,!x,y,z notin (a,b)');
    assert.equal(parseLabelSelector(s.toString()).toString(), s.toString());
  });

  test('requiredValue exposes exact-match requirements', () => {
    const s = parseLabelSelector('a=1,b in (2),c in (3,4),d!=5');
    assert.equal(s.requiredValue('a'), '1');
    assert.equal(s.requiredValue('b'), '2');
    assert.equal(s.requiredValue('c'), undefined);
    assert.equal(s.requiredValue('d'), undefined);
  });

  test('syntax errors carry upstream wording', () => {
    assert.equal(parseError('a b'), 'unable to parse requirement: found \'b\', expected: in, notin, =, ==, !=, gt, lt');
    assert.equal(parseError('a,'), "found '', expected: identifier after ','");
    assert.equal(parseError(',a'), "found ',', expected: !, identifier, or 'end of string'");
    assert.equal(parseError('a=b c'), "found 'c', expected: ',' or 'end of string'");
    assert.equal(parseError('a in b'), "unable to parse requirement: found 'b' expected: '('");
    assert.equal(parseError('a in (b c)'), "unable to parse requirement: found 'c', expected: ',' or ')'");
    assert.equal(parseError('a===b'), "unable to parse requirement: found '=', expected: identifier");
  });

  test('invalid keys and values report field errors as upstream does', () => {
    assert.match(parseError('a$=b'), /^unable to parse requirement: <nil>: Invalid value: "a\$": name part must consist of/);
    assert.match(
      parseError('app=-x-'),
      /^unable to parse requirement: values\[0\]\[app\]: Invalid value: "-x-": a valid label must be an empty string/,
    );
    assert.match(
      parseError('n>x'),
      /^unable to parse requirement: values\[0\]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer$/,
    );
  });
});

describe('labelSelectorFromObject', () => {
  test('absent selects nothing, empty selects everything', () => {
    assert.ok(!labelSelectorFromObject(undefined).matches({ a: '1' }));
    assert.ok(!labelSelectorFromObject(null).matches({}));
    assert.ok(labelSelectorFromObject({}).matches({}));
    assert.ok(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }).isEmpty());
  });

  test('matchLabels and matchExpressions are ANDed', () => {
    const s = labelSelectorFromObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'edge'] },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
        { key: 'team', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    assert.ok(s.matches({ app: 'web', tier: 'edge', team: 'x' }));
    assert.ok(!s.matches({ app: 'web', tier: 'edge', team: 'x', env: 'dev' }));
    assert.ok(!s.matches({ app: 'web', tier: 'edge' }));
    assert.ok(!s.matches({ app: 'web', tier: 'edge', team: 'x', legacy: 'y' }));
    assert.equal(s.toString(), 'app=web,env notin (dev),!legacy,team,tier in (edge,front)');
  });

  test('bad operators and empty In values are rejected with upstream messages', () => {
    assert.throws(
      () => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }] }),
      (err: unknown) => err instanceof StatusError && err.message === '"Equals" is not a valid label selector operator',
    );
    assert.throws(
      () => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In' }] }),
      (err: unknown) =>
        err instanceof StatusError &&
        err.message === "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    );
  });

  test('selectorToString is the canonical text, empty for an absent selector', () => {
    assert.equal(selectorToString({ matchLabels: { b: '2', a: '1' } }), 'a=1,b=2');
    assert.equal(selectorToString(undefined), '');
    assert.equal(selectorToString({}), '');
  });
});

describe('label sets', () => {
  test('labelSelectorFromSet matches supersets; absent or empty selects everything', () => {
    const s = labelSelectorFromSet({ app: 'web' });
    assert.ok(s.matches({ app: 'web', x: 'y' }));
    assert.ok(!s.matches({ app: 'db' }));
    assert.ok(labelSelectorFromSet(undefined).matches({}));
    assert.ok(labelSelectorFromSet({}).isEmpty());
  });

  test('formatLabels sorts pairs and prints <none> for nothing', () => {
    assert.equal(formatLabels({ b: '2', a: '1' }), 'a=1,b=2');
    assert.equal(formatLabels({}), '<none>');
    assert.equal(formatLabels(undefined), '<none>');
  });

  test('everything and nothing are distinct', () => {
    assert.ok(LabelSelector.everything().matches({}));
    assert.ok(!LabelSelector.nothing().matches({}));
    assert.ok(!LabelSelector.nothing().isEmpty());
  });
});
