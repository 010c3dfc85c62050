import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseResolvConf, podDnsConfig } from './dnsConfig.js';
import type { KubeletDns } from './dnsConfig.js';

const host = parseResolvConf('# comment\nnameserver 192.0.2.53\nsearch corp.example. .\noptions edns0 ndots:1\noptions ndots:2\n');
const withClusterDns: KubeletDns = { host, clusterDNS: ['198.19.0.10'], clusterDomain: 'cluster.local' };
const withoutClusterDns: KubeletDns = { ...withClusterDns, clusterDNS: [] };

function pod(spec: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return { metadata: { name: 'web', namespace: 'shop', uid: 'u-1' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } };
}

test('resolv.conf parsing: last search line without trailing dots, options merged by name', () => {
  assert.deepEqual(host, { servers: ['192.0.2.53'], searches: ['corp.example'], options: ['edns0', 'ndots:2'] });
});

describe('sandbox DNS from dnsPolicy', () => {
  test('ClusterFirst: the cluster DNS, the cluster search path then the host\'s, ndots:5', () => {
    assert.deepEqual(podDnsConfig(pod(), withClusterDns), {
      config: { servers: ['198.19.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'], options: ['ndots:5'] },
      warnings: [],
    });
  });

  test('ClusterFirst on the host network is Default; ClusterFirstWithHostNet keeps the cluster DNS', () => {
    assert.deepEqual(podDnsConfig(pod({ hostNetwork: true }), withClusterDns).config, host);
    assert.deepEqual(podDnsConfig(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), withClusterDns).config.servers, ['198.19.0.10']);
  });

  test('without a cluster DNS ClusterFirst falls back to Default with a MissingClusterDNS warning', () => {
    assert.deepEqual(podDnsConfig(pod(), withoutClusterDns), {
      config: host,
      warnings: [{
        reason: 'MissingClusterDNS',
        message: 'pod: "web_shop(u-1)". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.',
      }],
    });
  });

  test('None starts empty; dnsConfig appends servers and searches and replaces options by name', () => {
    const config = podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['192.0.2.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }, { name: 'rotate' }, { name: 'edns0', value: '' }] } }), withClusterDns).config;
    assert.deepEqual(config, { servers: ['192.0.2.1'], searches: ['a.example'], options: ['ndots:2', 'rotate', 'edns0'] });
    const merged = podDnsConfig(pod({ dnsConfig: { nameservers: ['198.19.0.10', '192.0.2.1'], searches: ['cluster.local', 'b.example'], options: [{ name: 'ndots', value: '1' }] } }), withClusterDns).config;
    assert.deepEqual(merged, {
      servers: ['198.19.0.10', '192.0.2.1'],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'b.example'],
      options: ['ndots:1'],
    });
  });

  test('more than 3 nameservers or 32 search paths are cut with a DNSConfigForming warning', () => {
    const searches = Array.from({ length: 30 }, (_, i) => `s${i}.example`);
    const { config, warnings } = podDnsConfig(pod({ dnsConfig: { nameservers: ['192.0.2.1', '192.0.2.2', '192.0.2.3'], searches } }), withClusterDns);
    assert.deepEqual(config.servers, ['198.19.0.10', '192.0.2.1', '192.0.2.2']);
    assert.equal(config.searches.length, 32);
    assert.equal(config.searches.at(-1), 's27.example');
    assert.deepEqual(warnings, [
      { reason: 'DNSConfigForming', message: 'Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 198.19.0.10 192.0.2.1 192.0.2.2' },
      { reason: 'DNSConfigForming', message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${config.searches.join(' ')}` },
    ]);
  });

  test('a search line over 2048 characters loses domains from its end', () => {
    const long = Array.from({ length: 10 }, (_, i) => `${String(i).padStart(250, 'x')}.io`);
    const { config, warnings } = podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig: { searches: long } }), withClusterDns);
    assert.deepEqual(config.searches, long.slice(0, 8));
    assert.equal(warnings.length, 1);
  });
});
