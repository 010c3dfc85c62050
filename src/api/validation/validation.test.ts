import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDNS1123Label, isDNS1123Subdomain, isDNS1035Label, isValidPathSegmentName, nameIsDNSSubdomain } from './names.js';
import { isQualifiedName, isValidLabelValue, validateAnnotations, validateLabelSelector } from './labels.js';
import { isCIdentifier, isConfigMapKey, isRelaxedEnvVarName, isValidPortName, isValidPortNum, isValidPercent } from './identifiers.js';
import { goStringMap } from './goValue.js';

describe('names', () => {
  test('subdomain error quotes the regex as upstream', () => {
    assert.deepEqual(isDNS1123Subdomain('Bad_Name'), [
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    assert.deepEqual(isDNS1123Subdomain('a.b-c'), []);
    assert.equal(isDNS1123Subdomain('a'.repeat(254))[0], 'must be no more than 253 characters');
  });

  test('labels reject dots with their own message and overlong values', () => {
    assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
    assert.match(isDNS1123Label('A')[0] ?? '', /^a lowercase RFC 1123 label must consist/);
    assert.equal(isDNS1123Label('a'.repeat(64))[0], 'must be no more than 63 characters');
    assert.match(isDNS1035Label('1abc')[0] ?? '', /^a DNS-1035 label/);
  });

  test('generateName prefixes may end with a dash; path segments ban / and %', () => {
    assert.deepEqual(nameIsDNSSubdomain('web-', true), []);
    assert.notDeepEqual(nameIsDNSSubdomain('web-', false), []);
    assert.deepEqual(isValidPathSegmentName('..'), ["may not be '..'"]);
    assert.deepEqual(isValidPathSegmentName('a/b%'), ["may not contain '/'", "may not contain '%'"]);
  });
});

describe('labels and annotations', () => {
  test('qualified names check prefix and name parts', () => {
    assert.deepEqual(isQualifiedName('example.com/app'), []);
    assert.deepEqual(isQualifiedName('/app'), ['prefix part must be non-empty']);
    assert.match(isQualifiedName('a/b/c')[0] ?? '', /^a valid label key must consist of/);
    assert.match(isQualifiedName('-x')[0] ?? '', /^name part must consist of alphanumeric/);
  });

  test('label values may be empty but not malformed', () => {
    assert.deepEqual(isValidLabelValue(''), []);
    assert.match(isValidLabelValue('a b')[0] ?? '', /^a valid label must be an empty string/);
  });

  test('annotations over 256 KiB are too long; keys are case-insensitive qualified names', () => {
    const errs = validateAnnotations({ big: 'x'.repeat(256 * 1024) }, 'metadata.annotations');
    assert.equal(errs[0]?.type, 'FieldValueTooLong');
    assert.deepEqual(validateAnnotations({ 'Example.COM/Key': 'v' }, 'metadata.annotations'), []);
  });

  test('selector requirements need values for In and none for Exists', () => {
    const errs = validateLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'Exists', values: ['x'] }] }, 'spec.selector');
    assert.deepEqual(errs.map((e) => `${e.field}: ${e.detail}`), [
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ]);
  });
});

describe('identifiers', () => {
  test('ports, port names and percentages', () => {
    assert.deepEqual(isValidPortNum(0), ['must be between 1 and 65535, inclusive']);
    assert.deepEqual(isValidPortNum(65535), []);
    assert.deepEqual(isValidPortName('http'), []);
    assert.ok(isValidPortName('123').includes('must contain at least one letter (a-z)'));
    assert.ok(isValidPortName('a--b').includes('must not contain consecutive hyphens'));
    assert.equal(isValidPortName('abcdefghijklmnop')[0], 'must be no more than 15 characters');
    assert.deepEqual(isValidPercent('25%'), []);
    assert.equal(isValidPercent('25').length, 1);
  });

  test('environment names are relaxed; config keys and C identifiers are strict', () => {
    assert.deepEqual(isRelaxedEnvVarName('1-weird.NAME'), []);
    assert.equal(isRelaxedEnvVarName('A=B').length, 1);
    assert.deepEqual(isConfigMapKey('..x'), ["must not start with '..'"]);
    assert.match(isConfigMapKey('a/b')[0] ?? '', /^a valid config key/);
    assert.equal(isCIdentifier('9x').length, 1);
  });

  test('Go map rendering sorts keys', () => {
    assert.equal(goStringMap({ b: '2', a: '1' }), 'map[string]string{"a":"1", "b":"2"}');
  });
});
