/**
 * Node resource lists: what the machine offers (capacity) and what is left for pods
 * (allocatable = capacity − kube-reserved − system-reserved − hard eviction
 * thresholds, with huge pages taken out of memory), exact and in upstream's formats.
 */
import { Quantity, parseQuantity } from '../../api/quantity.js';
import type { EvictionThreshold } from './evictionThresholds.js';
import type { MachineInfo } from './machine.js';

/** Resource name → quantity. */
export type Resources = Record<string, Quantity>;

/** How many pods a node admits (`--max-pods` default). */
export const DEFAULT_MAX_PODS = 110;

const HUGEPAGES_PREFIX = 'hugepages-';

/** `hugepages-2Mi` for a 2 MiB page size. */
export function hugePageResourceName(pageBytes: number): string {
  return HUGEPAGES_PREFIX + Quantity.fromInteger(pageBytes, 'BinarySI').toString();
}

/** The node's capacity: cpu, memory, ephemeral-storage, pods and one zero entry per huge page size. */
export function machineCapacity(machine: MachineInfo, maxPods = DEFAULT_MAX_PODS): Resources {
  const capacity: Resources = {
    cpu: Quantity.fromMilli(machine.cpuCount * 1000, 'DecimalSI'),
    memory: Quantity.fromInteger(machine.memoryBytes, 'BinarySI'),
    'ephemeral-storage': Quantity.fromInteger(machine.ephemeralStorageBytes, 'BinarySI'),
    pods: Quantity.fromInteger(maxPods, 'DecimalSI'),
  };
  for (const size of machine.hugePageSizes) capacity[hugePageResourceName(size)] = Quantity.fromInteger(0, 'BinarySI');
  return capacity;
}

/** Parses a `--kube-reserved` style list (`cpu=100m,memory=256Mi`); throws on a bad entry. */
export function parseResourceListFlag(text: string): Resources {
  const resources: Resources = {};
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const at = item.indexOf('=');
    if (at <= 0) throw new Error(`invalid resource reservation ${JSON.stringify(item)}, expected name=quantity`);
    const quantity = parseQuantity(item.slice(at + 1));
    if (quantity.nanos < 0n) throw new Error(`resource quantity for ${JSON.stringify(item.slice(0, at))} cannot be negative: ${item.slice(at + 1)}`);
    resources[item.slice(0, at)] = quantity;
  }
  return resources;
}

/** The part of capacity the hard eviction thresholds hold back: memory and ephemeral storage. */
export function evictionReservation(thresholds: readonly EvictionThreshold[], capacity: Resources): Resources {
  const reserved: Resources = {};
  const resourceOf: Partial<Record<string, string>> = { 'memory.available': 'memory', 'nodefs.available': 'ephemeral-storage' };
  for (const threshold of thresholds) {
    const resource = resourceOf[threshold.signal];
    if (resource === undefined) continue;
    const value = threshold.value;
    if ('quantity' in value) {
      reserved[resource] = value.quantity;
    } else {
      const total = capacity[resource]?.value() ?? 0;
      reserved[resource] = Quantity.fromInteger(Math.trunc(total * value.percentage), 'BinarySI');
    }
  }
  return reserved;
}

/** What reservations take out of allocatable. */
export interface Reservations {
  kubeReserved?: Resources;
  systemReserved?: Resources;
  evictionHard?: readonly EvictionThreshold[];
}

/**
 * Allocatable for every capacity resource: capacity minus every reservation of it
 * (never below zero); memory also loses the huge page capacity.
 */
export function allocatable(capacity: Resources, reservations: Reservations = {}): Resources {
  const cuts = [reservations.kubeReserved ?? {}, reservations.systemReserved ?? {}, evictionReservation(reservations.evictionHard ?? [], capacity)];
  const result: Resources = {};
  for (const [name, total] of Object.entries(capacity)) {
    let left = total;
    for (const cut of cuts) {
      const amount = cut[name];
      if (amount !== undefined) left = left.sub(amount);
    }
    if (name === 'memory') {
      for (const [other, pages] of Object.entries(capacity)) if (other.startsWith(HUGEPAGES_PREFIX)) left = left.sub(pages);
    }
    result[name] = left.nanos < 0n ? new Quantity(0n, total.format) : left;
  }
  return result;
}

/** The wire form: each quantity as its canonical string. */
export function resourceListOf(resources: Resources): Record<string, string> {
  return Object.fromEntries(Object.entries(resources).map(([name, q]) => [name, q.toString()]));
}
