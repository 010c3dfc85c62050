import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePodCidr, podNetworkConflist } from './config.js';

describe('pod network CNI config', () => {
  it('derives network and gateway from a CIDR inside 198.18.0.0/16', () => {
    assert.deepEqual(parsePodCidr('198.18.0.0/24'), { network: '198.18.0.0', prefix: 24, gateway: '198.18.0.1' });
    assert.deepEqual(parsePodCidr('198.18.7.130/25'), { network: '198.18.7.128', prefix: 25, gateway: '198.18.7.129' });
  });

  it('refuses anything outside the pod range', () => {
    for (const cidr of ['10.88.0.0/16', '192.168.1.0/24', '198.19.0.0/24', '198.18.0.0/15', '198.18.0.0', '198.18.300.0/24']) {
      assert.throws(() => parsePodCidr(cidr), /pod CIDR/, cidr);
    }
  });

  it('is a bridge with host-local IPAM, NAT and gateway, chained with portmap', () => {
    const conflist = podNetworkConflist({ ipamDataDir: '/data/cni/ipam' }) as { plugins: Record<string, unknown>[] };
    const [bridge, portmap] = conflist.plugins;
    assert.deepEqual({ ...bridge, ipam: undefined }, { type: 'bridge', bridge: 'k8ts0', isGateway: true, ipMasq: true, hairpinMode: true, ipam: undefined });
    assert.deepEqual(bridge?.ipam, { type: 'host-local', dataDir: '/data/cni/ipam', ranges: [[{ subnet: '198.18.0.0/24', gateway: '198.18.0.1' }]], routes: [{ dst: '0.0.0.0/0' }] });
    assert.deepEqual(portmap, { type: 'portmap', capabilities: { portMappings: true } });
  });
});
