import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalQuantity, parseQuantity, Quantity, QuantityParseError } from './quantity.js';

describe('quantity', () => {
  test('canonical forms follow the suffix family of the input', () => {
    const cases: Array<[string, string]> = [
      ['1024Mi', '1Gi'], ['1536Mi', '1536Mi'], ['1.5Gi', '1536Mi'], ['0.5', '500m'], ['1000', '1k'],
      ['100m', '100m'], ['1500m', '1500m'], ['0.5Ki', '512'], ['1e3', '1e3'], ['1500', '1500'],
      ['0', '0'], ['-1Ki', '-1Ki'], ['12e6', '12e6'], ['1M', '1M'], ['0.1', '100m'],
    ];
    for (const [input, expected] of cases) assert.equal(canonicalQuantity(input), expected, input);
  });

  test('values, comparisons and sums are exact', () => {
    assert.equal(parseQuantity('1Gi').value(), 1073741824);
    assert.equal(parseQuantity('250m').milliValue(), 250);
    assert.equal(parseQuantity('1').cmp(parseQuantity('1000m')), 0);
    assert.equal(parseQuantity('1Ki').cmp(parseQuantity('1k')), 1);
    assert.equal(parseQuantity('100m').add(parseQuantity('400m')).toString(), '500m');
    assert.equal(Quantity.fromMilli(1500).toString(), '1500m');
  });

  test('sub-milli precision rounds up to milli on request, sub-nano on parse', () => {
    assert.equal(parseQuantity('0.0001').roundUpToMilli().toString(), '1m');
    assert.equal(parseQuantity('0.0000000001').toString(), '1n');
    assert.equal(parseQuantity('1e-10').toString(), '1e-9');
  });

  test('malformed quantities throw upstream messages', () => {
    assert.throws(() => parseQuantity('abc'), (e: unknown) => e instanceof QuantityParseError && /must match the regular expression/.test(e.message));
    assert.throws(() => parseQuantity('1Zi'), QuantityParseError);
    assert.throws(() => parseQuantity(''), QuantityParseError);
  });
});
