/**
 * The pressure taints (node.kubernetes.io/memory-pressure, disk-pressure,
 * pid-pressure, effect NoSchedule) that upstream's node lifecycle controller keeps in
 * step with the MemoryPressure/DiskPressure/PIDPressure conditions
 * (TaintNodesByCondition). k8ts has no node lifecycle controller yet, so the kubelet's
 * node agent keeps them after each status pass; this moves to that controller when it
 * exists. Taints of other keys are left as they are.
 */
import type { Taint } from 'kubernetes-types/core/v1.js';
import type { RestClient } from '../../client/index.js';
import type { NodeObject } from './nodeObject.js';
import { NODES } from './registration.js';
import type { NodeSignals } from './signals.js';

/** The pressure flags the taints follow. */
export interface PressureFlags {
  memory: boolean;
  disk: boolean;
  pid: boolean;
}

/** The taint key of each pressure. */
export const PRESSURE_TAINT_KEYS: Readonly<Record<keyof PressureFlags, string>> = {
  memory: 'node.kubernetes.io/memory-pressure',
  disk: 'node.kubernetes.io/disk-pressure',
  pid: 'node.kubernetes.io/pid-pressure',
};

/** The pressure flags `signals` report now. */
export function pressureOf(signals: NodeSignals): PressureFlags {
  return { memory: signals.memoryPressure(), disk: signals.diskPressure(), pid: signals.pidPressure() };
}

/** `taints` with a NoSchedule taint for each pressure and none for pressures gone; undefined when nothing changes. */
export function pressureTaints(taints: readonly Taint[] | undefined, pressure: PressureFlags): Taint[] | undefined {
  const current = [...(taints ?? [])];
  let result = current;
  for (const [name, key] of Object.entries(PRESSURE_TAINT_KEYS) as [keyof PressureFlags, string][]) {
    const present = result.some((t) => t.key === key && t.effect === 'NoSchedule');
    if (pressure[name] && !present) result = [...result, { key, effect: 'NoSchedule' }];
    if (!pressure[name] && present) result = result.filter((t) => !(t.key === key && t.effect === 'NoSchedule'));
  }
  return result === current ? undefined : result;
}

/** Keeps one Node's pressure taints in step; reads the Node only when the pressure flags changed since the last success. */
export class PressureTaintKeeper {
  readonly #client: RestClient;
  readonly #nodeName: string;
  #applied: string | undefined;

  constructor(client: RestClient, nodeName: string) {
    this.#client = client;
    this.#nodeName = nodeName;
  }

  /** Forgets what was applied (the Node was registered again). */
  reset(): void {
    this.#applied = undefined;
  }

  /** Adds and removes pressure taints for `pressure`; a conflicting write throws and is retried on the next pass. */
  async sync(pressure: PressureFlags, signal?: AbortSignal): Promise<void> {
    const key = JSON.stringify(pressure);
    if (key === this.#applied) return;
    const node = await this.#client.get<NodeObject>(NODES, this.#nodeName, { signal });
    const taints = pressureTaints(node.spec?.taints, pressure);
    if (taints !== undefined) {
      const patch = { metadata: { resourceVersion: node.metadata.resourceVersion }, spec: { taints } };
      await this.#client.patch(NODES, this.#nodeName, 'merge', patch, { signal, fieldManager: 'kubelet' });
    }
    this.#applied = key;
  }
}
