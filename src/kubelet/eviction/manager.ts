/**
 * The kubelet's eviction manager (hard thresholds): every monitoring interval it
 * observes the node's signals, raises the matching pressure conditions (kept for the
 * pressure transition period after the last time a threshold was met) and, while a
 * threshold is met, evicts one pod per pass — the first of upstream's ranking for
 * the threshold's resource — with grace period 0, a Failed/Evicted status and a
 * Warning `Evicted` event. Pod stats are read from the runtime only when a threshold
 * is met, so a quiet pass costs a few file reads.
 *
 * Not (yet) done as upstream: soft thresholds and minimum reclaim, reclaiming node
 * resources (image and container garbage collection) before evicting, local storage
 * limit evictions, admission refusals under pressure.
 */
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { sleep, type Clock } from '../../client/index.js';
import type { EvictionThreshold } from '../node/evictionThresholds.js';
import { evictedStatus, evictionMessage, EVICTED_REASON } from './message.js';
import type { Observations } from './observations.js';
import { rankForEviction, type PodUsage } from './ranking.js';
import { availableQuantity, PressureConditions, resourceOf, thresholdQuantity, thresholdsMet, type PressureCondition } from './thresholds.js';

/** Upstream's housekeeping interval, at which the eviction manager observes the node. */
export const DEFAULT_MONITORING_INTERVAL_MS = 10_000;

/** Upstream's `--eviction-pressure-transition-period` default. */
export const DEFAULT_PRESSURE_TRANSITION_PERIOD_MS = 5 * 60_000;

/** Grace period of evictions for hard thresholds. */
const HARD_EVICTION_GRACE_SECONDS = 0;

/** The pods the manager may evict, and how it evicts one. */
export interface PodKiller {
  /** Pods admitted to the node that are neither terminal nor being deleted. */
  activePods(): readonly Pod[];
  /** Stops the pod's containers within `graceSeconds` and reports `status` for it. */
  evictPod(pod: Pod, status: PodStatus, graceSeconds: number): void;
}

/** Where the manager sends its pressure verdicts (the node's condition inputs). */
export interface PressureSink {
  setPressure(pressure: { memory: boolean; disk: boolean; pid: boolean }): void;
}

/** How an eviction manager is set up. */
export interface EvictionManagerOptions {
  thresholds: readonly EvictionThreshold[];
  clock: Clock;
  observe(): Promise<Observations>;
  podUsage(): Promise<ReadonlyMap<string, PodUsage>>;
  pods: PodKiller;
  pressure: PressureSink;
  /** Records a Warning event about a pod. */
  recordEvent(pod: Pod, reason: string, message: string): void;
  pressureTransitionPeriodMs?: number;
  monitoringIntervalMs?: number;
  onError?(err: unknown): void;
}

/** What one pass did. */
export interface EvictionPass {
  conditions: ReadonlySet<PressureCondition>;
  evicted?: Pod;
}

/** One kubelet's eviction manager; `run` it until its signal aborts. */
export class EvictionManager {
  readonly #o: EvictionManagerOptions;
  readonly #conditions: PressureConditions;

  constructor(options: EvictionManagerOptions) {
    this.#o = options;
    this.#conditions = new PressureConditions(options.pressureTransitionPeriodMs ?? DEFAULT_PRESSURE_TRANSITION_PERIOD_MS);
  }

  /** Passes every monitoring interval until `signal` aborts; a failed pass is reported and the loop goes on. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.synchronize();
      } catch (err) {
        this.#o.onError?.(err);
      }
      await sleep(this.#o.clock, this.#o.monitoringIntervalMs ?? DEFAULT_MONITORING_INTERVAL_MS, signal);
    }
  }

  /** One pass: observe, set the pressure conditions, evict at most one pod. */
  async synchronize(): Promise<EvictionPass> {
    const observations = await this.#o.observe();
    const met = thresholdsMet(this.#o.thresholds, observations);
    const conditions = this.#conditions.observe(met, this.#o.clock.now());
    this.#o.pressure.setPressure({ memory: conditions.has('MemoryPressure'), disk: conditions.has('DiskPressure'), pid: conditions.has('PIDPressure') });
    const first = met[0];
    if (first === undefined) return { conditions };
    const resource = resourceOf(first.threshold.signal);
    const usage = await this.#o.podUsage();
    const [pod] = rankForEviction(this.#o.pods.activePods(), resource, usage);
    if (pod === undefined) return { conditions };
    const cause = {
      resource,
      threshold: thresholdQuantity(first.threshold, first.observation.capacity),
      available: availableQuantity(first.threshold.signal, first.observation),
    };
    const message = evictionMessage(pod, cause, usage.get(pod.metadata?.uid ?? ''));
    this.#o.pods.evictPod(pod, evictedStatus(message, this.#o.clock.now()), HARD_EVICTION_GRACE_SECONDS);
    this.#o.recordEvent(pod, EVICTED_REASON, message);
    return { conditions, evicted: pod };
  }
}
