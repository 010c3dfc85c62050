/**
 * Hard eviction thresholds as the kubelet's `--eviction-hard` flag states them
 * (`memory.available<100Mi,nodefs.available<10%`), parsed into values that the
 * allocatable computation (and later the eviction manager) read.
 */
import { parseQuantity, type Quantity } from '../../api/quantity.js';

/** The eviction signals upstream's kubelet knows. */
export const EVICTION_SIGNALS = [
  'memory.available',
  'nodefs.available',
  'nodefs.inodesFree',
  'imagefs.available',
  'imagefs.inodesFree',
  'containerfs.available',
  'containerfs.inodesFree',
  'allocatableMemory.available',
  'pid.available',
] as const;

/** One eviction signal name. */
export type EvictionSignal = (typeof EVICTION_SIGNALS)[number];

/** A threshold value: an absolute quantity, or a fraction (0–1) of the resource's capacity. */
export type ThresholdValue = { quantity: Quantity } | { percentage: number };

/** `signal < value`: eviction starts when the signal falls below the value. */
export interface EvictionThreshold {
  signal: EvictionSignal;
  value: ThresholdValue;
}

/** Upstream's default `--eviction-hard` on Linux. */
export const DEFAULT_EVICTION_HARD = 'memory.available<100Mi,nodefs.available<10%,imagefs.available<15%,nodefs.inodesFree<5%';

function isSignal(name: string): name is EvictionSignal {
  return (EVICTION_SIGNALS as readonly string[]).includes(name);
}

/** A `10%` text as the float32 fraction upstream computes (float32(10) / 100). */
function parsePercentage(text: string): number {
  const number = Number(text.slice(0, -1));
  if (text.slice(0, -1).trim() === '' || !Number.isFinite(number)) throw new Error(`invalid percentage: ${text}`);
  return Math.fround(Math.fround(number) / 100);
}

function parseValue(signal: string, text: string): ThresholdValue {
  if (text.endsWith('%')) {
    const percentage = parsePercentage(text);
    if (percentage < 0 || percentage > 1) throw new Error(`eviction percentage threshold ${signal} must be >= 0% and <= 100%: ${text}`);
    return { percentage };
  }
  const quantity = parseQuantity(text);
  if (quantity.nanos < 0n) throw new Error(`eviction threshold ${signal} must be positive: ${text}`);
  return { quantity };
}

/**
 * Parses `signal<value` pairs joined by commas (an empty text is no thresholds).
 * Throws on an unknown signal, an operator other than `<`, a bad value, or a signal
 * given twice; a `0%` threshold is dropped, as upstream treats it as disabled.
 */
export function parseEvictionHard(text: string): EvictionThreshold[] {
  const thresholds: EvictionThreshold[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const at = item.indexOf('<');
    if (at < 0) throw new Error(`invalid eviction threshold syntax ${item}, expected <signal><operator><value>`);
    const signal = item.slice(0, at);
    if (!isSignal(signal)) throw new Error(`unsupported eviction signal ${signal}`);
    if (thresholds.some((t) => t.signal === signal)) throw new Error(`found duplicate eviction threshold for signal ${signal}`);
    const value = parseValue(signal, item.slice(at + 1));
    if ('percentage' in value && value.percentage === 0) continue;
    thresholds.push({ signal, value });
  }
  return thresholds;
}
