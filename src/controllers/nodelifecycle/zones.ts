/**
 * Zones of nodes and their disruption states (upstream's zone handling): a zone
 * whose nodes are all not ready is fully disrupted, one with more than two and at
 * least 55 % not ready is partially disrupted. The state sets how fast nodes of the
 * zone may get NoExecute taints: 0.1 nodes/s normally and in full disruption, in
 * partial disruption 0.01/s in zones over 50 nodes and none in smaller ones; none
 * anywhere when every zone is fully disrupted.
 */
import type { NodeCondition } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../client/index.js';
import type { NodeObject } from './taints.js';

/** A zone's disruption state. */
export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** Upstream defaults of the eviction rates and thresholds. */
export const ZONE_DEFAULTS = {
  evictionQps: 0.1,
  secondaryEvictionQps: 0.01,
  largeClusterSizeThreshold: 50,
  unhealthyZoneThreshold: 0.55,
} as const;

const REGION_LABELS = ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];
const ZONE_LABELS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];

function firstLabel(node: NodeObject, names: readonly string[]): string {
  for (const name of names) {
    const value = node.metadata.labels?.[name];
    if (value !== undefined && value !== '') return value;
  }
  return '';
}

/** The zone key of `node`: region and zone labels, '' when it has neither. */
export function zoneKeyOf(node: NodeObject): string {
  const region = firstLabel(node, REGION_LABELS);
  const zone = firstLabel(node, ZONE_LABELS);
  return region === '' && zone === '' ? '' : `${region}:\u0000:${zone}`;
}

/** The state of a zone whose nodes have these Ready conditions (undefined: none posted). */
export function zoneStateOf(readyConditions: readonly (NodeCondition | undefined)[]): ZoneState {
  const notReady = readyConditions.filter((c) => c?.status !== 'True').length;
  const ready = readyConditions.length - notReady;
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / readyConditions.length >= ZONE_DEFAULTS.unhealthyZoneThreshold) return 'PartialDisruption';
  return 'Normal';
}

/** How many nodes per second a zone of `size` nodes in `state` may taint. */
export function zoneTaintRate(state: ZoneState, size: number): number {
  if (state === 'PartialDisruption') return size > ZONE_DEFAULTS.largeClusterSizeThreshold ? ZONE_DEFAULTS.secondaryEvictionQps : 0;
  return ZONE_DEFAULTS.evictionQps;
}

/**
 * The nodes of one zone waiting for a NoExecute taint, taken in order at most at
 * the zone's rate (a token bucket of one, full at the start).
 */
export class ZoneTaintQueue {
  readonly #clock: Clock;
  readonly #waiting = new Set<string>();
  #qps: number = ZONE_DEFAULTS.evictionQps;
  #tokens = 1;
  #last: number;

  constructor(clock: Clock) {
    this.#clock = clock;
    this.#last = clock.now();
  }

  /** Queues `nodeName`; false when it was already waiting. */
  add(nodeName: string): boolean {
    if (this.#waiting.has(nodeName)) return false;
    this.#waiting.add(nodeName);
    return true;
  }

  /** Drops `nodeName`; true when it was waiting. */
  remove(nodeName: string): boolean {
    return this.#waiting.delete(nodeName);
  }

  /** Changes the rate (nodes per second; 0 stops). */
  setRate(qps: number): void {
    this.#refill();
    this.#qps = qps;
    if (qps === 0) this.#tokens = 0;
  }

  /**
   * Takes waiting nodes while the rate allows, handing each to `taint`; a node it
   * returns false for stays queued (at the end) for a later pass.
   */
  async drain(taint: (nodeName: string) => Promise<boolean>): Promise<void> {
    for (const name of [...this.#waiting]) {
      this.#refill();
      if (this.#tokens < 1) return;
      this.#tokens -= 1;
      this.#waiting.delete(name);
      if (!(await taint(name))) this.#waiting.add(name);
    }
  }

  #refill(): void {
    const now = this.#clock.now();
    this.#tokens = Math.min(1, this.#tokens + ((now - this.#last) / 1000) * this.#qps);
    this.#last = now;
  }
}
