import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { firstHostIPv4, nodeAddresses } from './addresses.js';
import { goArch, readMachineInfo } from './machine.js';

test('machine facts of this host are read from the local system', async () => {
  const machine = await readMachineInfo(tmpdir());
  assert.ok(machine.cpuCount > 0);
  assert.ok(machine.memoryBytes > 0);
  assert.ok(machine.ephemeralStorageBytes > 0);
  assert.ok(machine.pidMax > 0);
  assert.equal(machine.operatingSystem, 'linux');
  assert.equal(machine.architecture, goArch(process.arch));
  assert.notEqual(machine.osImage, '');
});

test('architectures use Go names', () => {
  assert.equal(goArch('x64'), 'amd64');
  assert.equal(goArch('arm64'), 'arm64');
  assert.equal(goArch('ia32'), '386');
});

test('InternalIP is the first non-loopback IPv4, else 127.0.0.1; Hostname follows', () => {
  const iface = (address: string, family: 'IPv4' | 'IPv6', internal: boolean) =>
    ({ address, family, internal, netmask: '', mac: '', cidr: null }) as never;
  assert.equal(firstHostIPv4({ lo: [iface('127.0.0.1', 'IPv4', true)], eth0: [iface('fe80::1', 'IPv6', false), iface('10.0.0.5', 'IPv4', false)] }), '10.0.0.5');
  assert.equal(firstHostIPv4({ lo: [iface('127.0.0.1', 'IPv4', true)] }), '127.0.0.1');
  assert.deepEqual(nodeAddresses('host-a', '10.0.0.5'), [
    { type: 'InternalIP', address: '10.0.0.5' },
    { type: 'Hostname', address: 'host-a' },
  ]);
});
