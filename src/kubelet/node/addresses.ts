/**
 * The node's addresses as the kubelet reports them without a cloud provider: its
 * InternalIP (the first non-loopback IPv4 of the host's interfaces, else 127.0.0.1)
 * and its Hostname. Interfaces are only read, never used.
 */
import os from 'node:os';
import type { NodeAddress } from 'kubernetes-types/core/v1.js';

/** The first non-internal IPv4 address among `interfaces`, or 127.0.0.1. */
export function firstHostIPv4(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): string {
  for (const addresses of Object.values(interfaces)) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}

/** InternalIP then Hostname, in upstream's order. */
export function nodeAddresses(hostname: string, internalIP: string = firstHostIPv4()): NodeAddress[] {
  return [
    { type: 'InternalIP', address: internalIP },
    { type: 'Hostname', address: hostname },
  ];
}
