/**
 * The machine a simulated node claims to be: capacity given as quantities, every
 * other fact a fixed, recognisable value. Nothing is read from the host.
 */
import { parseQuantity } from '../../api/quantity.js';
import { goArch } from '../node/machine.js';
import type { MachineInfo } from '../node/machine.js';

/** What a simulated node offers; absent entries take the defaults below. */
export interface SimulatedCapacity {
  /** CPU as a quantity (`4`, `1500m`); default 4. */
  cpu?: string;
  /** Memory as a quantity; default 8Gi. */
  memory?: string;
  /** Ephemeral storage as a quantity; default 100Gi. */
  ephemeralStorage?: string;
  /** How many pods the node admits; default 110. */
  pods?: number;
}

/** The machine facts of simulated node `nodeName` with `capacity`. */
export function simulatedMachine(nodeName: string, capacity: SimulatedCapacity = {}): MachineInfo {
  return {
    cpuCount: parseQuantity(capacity.cpu ?? '4').milliValue() / 1000,
    memoryBytes: parseQuantity(capacity.memory ?? '8Gi').value(),
    ephemeralStorageBytes: parseQuantity(capacity.ephemeralStorage ?? '100Gi').value(),
    ephemeralStorageInodes: 1_000_000,
    pidMax: 4_194_304,
    hugePageSizes: [],
    machineID: `simulated-${nodeName}`,
    systemUUID: `simulated-${nodeName}`,
    bootID: `simulated-${nodeName}`,
    kernelVersion: 'simulated',
    osImage: 'k8ts simulated node',
    architecture: goArch(),
    operatingSystem: 'linux',
  };
}
