/**
 * Which hard thresholds the observed signals meet, what each threshold is about (the
 * resource to reclaim, the node condition it raises) and in which order upstream's
 * kubelet acts on them: memory signals first, the rest as configured.
 */
import { Quantity } from '../../api/quantity.js';
import type { EvictionSignal, EvictionThreshold } from '../node/evictionThresholds.js';
import type { Observations, SignalObservation } from './observations.js';

/** The resource a signal's evictions reclaim, as upstream names it in messages. */
export type ReclaimedResource = 'memory' | 'ephemeral-storage' | 'inodes' | 'pids';

/** The node condition a signal raises. */
export type PressureCondition = 'MemoryPressure' | 'DiskPressure' | 'PIDPressure';

const RESOURCE: Readonly<Record<EvictionSignal, ReclaimedResource>> = {
  'memory.available': 'memory',
  'allocatableMemory.available': 'memory',
  'nodefs.available': 'ephemeral-storage',
  'nodefs.inodesFree': 'inodes',
  'imagefs.available': 'ephemeral-storage',
  'imagefs.inodesFree': 'inodes',
  'containerfs.available': 'ephemeral-storage',
  'containerfs.inodesFree': 'inodes',
  'pid.available': 'pids',
};

/** The resource evictions for `signal` reclaim. */
export function resourceOf(signal: EvictionSignal): ReclaimedResource {
  return RESOURCE[signal];
}

/** The node condition `signal` raises when its threshold is met. */
export function conditionOf(signal: EvictionSignal): PressureCondition {
  const resource = RESOURCE[signal];
  if (resource === 'memory') return 'MemoryPressure';
  return resource === 'pids' ? 'PIDPressure' : 'DiskPressure';
}

/** True for signals counting items (inodes, pids), whose quantities are decimal. */
function countsItems(signal: EvictionSignal): boolean {
  const resource = RESOURCE[signal];
  return resource === 'inodes' || resource === 'pids';
}

/** The threshold as an absolute quantity: a percentage is taken of the signal's capacity (truncated). */
export function thresholdQuantity(threshold: EvictionThreshold, capacity: number): Quantity {
  const value = threshold.value;
  if ('quantity' in value) return value.quantity;
  return Quantity.fromInteger(Math.trunc(capacity * value.percentage), countsItems(threshold.signal) ? 'DecimalSI' : 'BinarySI');
}

/** An observed amount as upstream's quantity (bytes binary, counts decimal). */
export function availableQuantity(signal: EvictionSignal, observation: SignalObservation): Quantity {
  return Quantity.fromInteger(Math.trunc(observation.available), countsItems(signal) ? 'DecimalSI' : 'BinarySI');
}

/** A threshold the node currently meets, with what was observed. */
export interface MetThreshold {
  threshold: EvictionThreshold;
  observation: SignalObservation;
}

/**
 * The thresholds whose signal is below the threshold quantity, memory signals first
 * (upstream's eviction priority). Signals that were not observed meet nothing.
 */
export function thresholdsMet(thresholds: readonly EvictionThreshold[], observations: Observations): MetThreshold[] {
  const met: MetThreshold[] = [];
  for (const threshold of thresholds) {
    const observation = observations.get(threshold.signal);
    if (observation === undefined) continue;
    const quantity = thresholdQuantity(threshold, observation.capacity);
    if (quantity.cmp(availableQuantity(threshold.signal, observation)) > 0) met.push({ threshold, observation });
  }
  const memoryFirst = (m: MetThreshold): number => (RESOURCE[m.threshold.signal] === 'memory' ? 0 : 1);
  return met.sort((a, b) => memoryFirst(a) - memoryFirst(b));
}

/**
 * The pressure conditions, kept True for a transition period after their threshold
 * was last met (upstream's --eviction-pressure-transition-period) so they do not flap.
 */
export class PressureConditions {
  readonly #transitionPeriodMs: number;
  readonly #lastObserved = new Map<PressureCondition, number>();

  constructor(transitionPeriodMs: number) {
    this.#transitionPeriodMs = transitionPeriodMs;
  }

  /** Records the thresholds met at `nowMs`; returns the conditions that are True now. */
  observe(met: readonly MetThreshold[], nowMs: number): ReadonlySet<PressureCondition> {
    for (const { threshold } of met) this.#lastObserved.set(conditionOf(threshold.signal), nowMs);
    const active = new Set<PressureCondition>();
    for (const [condition, at] of this.#lastObserved) {
      if (nowMs - at <= this.#transitionPeriodMs) active.add(condition);
      else this.#lastObserved.delete(condition);
    }
    return active;
  }
}
