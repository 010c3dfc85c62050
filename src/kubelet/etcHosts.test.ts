import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { etcHostsContent, hostNetworkEtcHostsContent, kernelHostname, managesEtcHosts } from './etcHosts.js';

const pod = (spec: Pod['spec']): Pod => ({ metadata: { name: 'web-0', namespace: 'shop', uid: 'u1' }, spec: { containers: [{ name: 'c' }], ...spec } });

test('/etc/hosts names the pod by hostname per pod IP after the localhost entries', () => {
  assert.equal(etcHostsContent(pod({ containers: [] }), ['10.0.0.5'], 'cluster.local'), [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
    '10.0.0.5\tweb-0',
    '',
  ].join('\n'));
});

test('a subdomain adds the FQDN first; hostAliases follow their header', () => {
  const text = etcHostsContent(pod({ containers: [], hostname: 'h', subdomain: 'sub', hostAliases: [{ ip: '1.2.3.4', hostnames: ['a', 'b'] }] }), ['10.0.0.5', 'fd00::5'], 'cluster.local');
  assert.ok(text.includes('10.0.0.5\th.sub.shop.svc.cluster.local\th\nfd00::5\th.sub.shop.svc.cluster.local\th\n'), text);
  assert.ok(text.endsWith('\n# Entries added by HostAliases.\n1.2.3.4\ta\tb\n'), text);
});

test('a hostNetwork pod gets the node\'s file under its own header, then its aliases', () => {
  const text = hostNetworkEtcHostsContent(pod({ containers: [], hostNetwork: true, hostAliases: [{ ip: '1.2.3.4', hostnames: ['a'] }] }), '127.0.0.1\tlocalhost\n');
  assert.equal(text, '# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n\n# Entries added by HostAliases.\n1.2.3.4\ta\n');
});

test('containers mounting /etc/hosts themselves keep their own', () => {
  assert.equal(managesEtcHosts({ name: 'c', volumeMounts: [{ name: 'v', mountPath: '/etc/hosts' }] }), false);
  assert.equal(managesEtcHosts({ name: 'c' }), true);
});

test('setHostnameAsFQDN makes the FQDN the kernel hostname, up to 64 characters', () => {
  assert.equal(kernelHostname(pod({ containers: [], hostname: 'h', subdomain: 'sub' }), 'cluster.local'), 'h');
  assert.equal(kernelHostname(pod({ containers: [], hostname: 'h', subdomain: 'sub', setHostnameAsFQDN: true }), 'cluster.local'), 'h.sub.shop.svc.cluster.local');
  assert.equal(kernelHostname(pod({ containers: [], setHostnameAsFQDN: true }), 'cluster.local'), 'web-0');
  const long = pod({ containers: [], hostname: 'h'.repeat(40), subdomain: 'sub', setHostnameAsFQDN: true });
  assert.throws(() => kernelHostname(long, 'cluster.local'), {
    message: `failed to construct FQDN from pod hostname and cluster domain, FQDN ${'h'.repeat(40)}.sub.shop.svc.cluster.local is too long (64 characters is the max, 67 characters requested)`,
  });
});
