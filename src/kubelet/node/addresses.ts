/**
 * The node's addresses as the kubelet reports them without a cloud provider: its
 * InternalIP (the first non-loopback IPv4 of the host's interfaces, else 127.0.0.1)
 * and its Hostname. Interfaces are only read, never used.
 */
import os from 'node:os';
import type { NodeAddress } from 'kubernetes-types/core/v1.js';

/** Addresses of the pod network (k8ts's bridges), which are never a node's address. */
const POD_NETWORK = /^198\.18\./;

/** The first non-internal IPv4 address among `interfaces` outside the pod network, or 127.0.0.1. */
export function firstHostIPv4(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): string {
  for (const addresses of Object.values(interfaces)) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal && !POD_NETWORK.test(address.address)) return address.address;
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
