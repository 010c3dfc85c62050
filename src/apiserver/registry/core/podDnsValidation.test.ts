import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validatePodDnsConfig } from './podDnsValidation.js';

const fields = (errs: { field: string; detail: string }[]): string[] => errs.map((e) => `${e.field}: ${e.detail}`);

test('dnsPolicy None needs a dnsConfig with a nameserver', () => {
  assert.deepEqual(fields(validatePodDnsConfig({ dnsPolicy: 'None' }, 'spec')), ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None']);
  assert.deepEqual(fields(validatePodDnsConfig({ dnsPolicy: 'None', dnsConfig: { searches: ['a.example'] } }, 'spec')),
    ['spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None']);
  assert.deepEqual(validatePodDnsConfig({ dnsPolicy: 'None', dnsConfig: { nameservers: ['192.0.2.1'], searches: ['a.example.'], options: [{ name: 'ndots', value: '2' }] } }, 'spec'), []);
});

test('dnsConfig limits: 3 nameservers, 32 search paths, 2048 characters; IPs, subdomains and option names', () => {
  const errs = fields(validatePodDnsConfig({
    dnsConfig: {
      nameservers: ['192.0.2.1', '192.0.2.2', '192.0.2.3', 'nope'],
      searches: Array.from({ length: 33 }, (_, i) => `s${i}.example`),
      options: [{ value: '1' }],
    },
  }, 'spec'));
  assert.equal(errs.length, 4, errs.join('\n'));
  assert.match(errs[0] ?? '', /^spec\.dnsConfig\.nameservers: Invalid value: .*: must not have more than 3 nameservers$/);
  assert.match(errs[1] ?? '', /^spec\.dnsConfig\.nameservers\[3\]: Invalid value: "nope": /);
  assert.match(errs[2] ?? '', /^spec\.dnsConfig\.searches: Invalid value: .*: must not have more than 32 search paths$/);
  assert.equal(errs[3], 'spec.dnsConfig.options[0]: Required value: must not be empty');
  const long = Array.from({ length: 12 }, (_, i) => `${'x'.repeat(60)}.${'y'.repeat(60)}.${'z'.repeat(60)}.example${i}`);
  assert.match(fields(validatePodDnsConfig({ dnsConfig: { searches: long } }, 'spec')).join('\n'), /must not have more than 2048 characters \(including spaces\) in the search list/);
  assert.match(fields(validatePodDnsConfig({ dnsConfig: { searches: ['Bad_Domain'] } }, 'spec')).join('\n'), /^spec\.dnsConfig\.searches\[0\]: Invalid value: "Bad_Domain": /);
});
