/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's algorithm:
 * candidates poll the Lease every retry period; the holder renews it, and must manage
 * to within `renewDeadline` or it steps down; others take it over once it has not
 * changed for `leaseDurationSeconds` as measured on their own clock (never comparing
 * clocks across machines). Writes are optimistic (resourceVersion), so two candidates
 * can never both win the same round.
 */
import type { LeaseSpec } from 'kubernetes-types/coordination/v1.js';
import type { KubeObject } from '../api/object.js';
import { isStatusReason } from '../api/status.js';
import { realClock, sleep } from './clock.js';
import type { Clock } from './clock.js';
import type { ResourceTarget } from './paths.js';
import type { RestClient } from './restClient.js';

/** A Lease as the client reads and writes it. */
export type LeaseObject = KubeObject & { spec?: LeaseSpec };

/** What the elector tells its owner. */
export interface LeaderCallbacks {
  /** Leadership acquired; `signal` aborts when it is lost or the elector stops. Not awaited. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Leadership ended (lost, or stopped): called once after each `onStartedLeading`. */
  onStoppedLeading(): void;
  /** The observed holder changed (including to ourselves). */
  onNewLeader?(identity: string): void;
}

/** Configuration of a LeaderElector; durations in milliseconds. */
export interface LeaderElectionConfig {
  client: RestClient;
  /** Where the Lease lives. */
  namespace: string;
  name: string;
  /** This candidate's unique identity (e.g. hostname + random suffix). */
  identity: string;
  callbacks: LeaderCallbacks;
  /** How long others wait before taking over an unrenewed lease (default 15 s). */
  leaseDurationMs?: number;
  /** How long the leader keeps retrying a failed renewal before stepping down (default 10 s). */
  renewDeadlineMs?: number;
  /** Interval between attempts (default 2 s, jittered by up to 120% while acquiring). */
  retryPeriodMs?: number;
  /** Give up the lease (holder cleared) when stopped by the signal (default true). */
  releaseOnCancel?: boolean;
  clock?: Clock;
  random?: () => number;
  /** Told about failed Lease reads and writes (default: nothing; they are retried). */
  onError?: (err: unknown) => void;
}

const LEASES: ResourceTarget = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const JITTER_FACTOR = 1.2;

/** A Lease MicroTime: RFC 3339 with microseconds. */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

/** Runs leader election for one candidate. */
export class LeaderElector {
  readonly #config: LeaderElectionConfig;
  readonly #clock: Clock;
  readonly #leaseDurationMs: number;
  readonly #renewDeadlineMs: number;
  readonly #retryPeriodMs: number;
  readonly #target: ResourceTarget;
  #observed: LeaseSpec | undefined;
  #observedTime = 0;
  #observedVersion = '';
  #leading = false;
  #reportedLeader: string | undefined;

  /** Throws when durations are inconsistent (lease > renew deadline > 1.2 × retry period > 0). */
  constructor(config: LeaderElectionConfig) {
    this.#config = config;
    this.#clock = config.clock ?? realClock;
    this.#leaseDurationMs = config.leaseDurationMs ?? 15_000;
    this.#renewDeadlineMs = config.renewDeadlineMs ?? 10_000;
    this.#retryPeriodMs = config.retryPeriodMs ?? 2_000;
    if (this.#leaseDurationMs <= this.#renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.#renewDeadlineMs <= JITTER_FACTOR * this.#retryPeriodMs) throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
    if (this.#retryPeriodMs <= 0) throw new Error('retryPeriod must be greater than zero');
    if (config.identity === '') throw new Error('identity may not be empty');
    this.#target = { ...LEASES, namespace: config.namespace };
  }

  /** True while this candidate holds the lease (between onStartedLeading and onStoppedLeading). */
  isLeader(): boolean {
    return this.#leading;
  }

  /** The holder identity last observed on the Lease (`''` when none). */
  getLeader(): string {
    return this.#observed?.holderIdentity ?? '';
  }

  /**
   * Campaigns until elected, leads until the lease is lost or `signal` aborts, then
   * resolves (releasing the lease first when stopped by the signal and configured to).
   * Resolves without leading if `signal` aborts during the campaign. Run again to rejoin.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.#acquire(signal))) return;
    const leading = new AbortController();
    const stop = (): void => leading.abort();
    signal.addEventListener('abort', stop, { once: true });
    this.#leading = true;
    try {
      this.#startLeading(leading.signal);
      await this.#renewUntilLost(signal);
    } finally {
      signal.removeEventListener('abort', stop);
      leading.abort();
      if (signal.aborted && (this.#config.releaseOnCancel ?? true)) await this.#release();
      this.#leading = false;
      this.#config.callbacks.onStoppedLeading();
    }
  }

  #startLeading(signal: AbortSignal): void {
    try {
      const started = this.#config.callbacks.onStartedLeading(signal);
      if (started instanceof Promise) started.catch((err: unknown) => this.#config.onError?.(err));
    } catch (err) {
      this.#config.onError?.(err);
    }
  }

  async #acquire(signal: AbortSignal): Promise<boolean> {
    const random = this.#config.random ?? Math.random;
    while (!signal.aborted) {
      if (await this.#tryAcquireOrRenew(signal)) return true;
      await sleep(this.#clock, this.#retryPeriodMs * (1 + random() * JITTER_FACTOR), signal);
    }
    return false;
  }

  /** Renews every retry period; resolves when a renewal failed for a whole renew deadline, or on abort. */
  async #renewUntilLost(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const deadline = this.#clock.now() + this.#renewDeadlineMs;
      let renewed = false;
      while (!signal.aborted) {
        const attempt = this.#deadlineSignal(signal, deadline - this.#clock.now());
        try {
          renewed = await this.#tryAcquireOrRenew(attempt.signal);
        } finally {
          attempt.cancel();
        }
        const remaining = deadline - this.#clock.now();
        if (renewed || remaining <= 0) break;
        await sleep(this.#clock, Math.min(this.#retryPeriodMs, remaining), signal);
        if (this.#clock.now() >= deadline) break;
      }
      if (!renewed) return;
      await sleep(this.#clock, this.#retryPeriodMs, signal);
    }
  }

  /** A signal that aborts with `parent` or after `ms` on the clock. */
  #deadlineSignal(parent: AbortSignal, ms: number): { signal: AbortSignal; cancel: () => void } {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    parent.addEventListener('abort', onAbort, { once: true });
    const timer = this.#clock.setTimeout(onAbort, ms);
    return {
      signal: controller.signal,
      cancel: () => {
        this.#clock.clearTimeout(timer);
        parent.removeEventListener('abort', onAbort);
      },
    };
  }

  /** One round: create, renew or take over the lease. True when we hold it afterwards. */
  async #tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const { client, name, namespace, identity } = this.#config;
    const now = this.#clock.now();
    const leaseDurationSeconds = Math.round(this.#leaseDurationMs / 1000);
    let lease: LeaseObject;
    try {
      lease = await client.get<LeaseObject>(this.#target, name, { signal });
    } catch (err) {
      if (!isStatusReason(err, 'NotFound')) return this.#failed(err, signal);
      const fresh: LeaseObject = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace },
        spec: { holderIdentity: identity, leaseDurationSeconds, acquireTime: formatMicroTime(now), renewTime: formatMicroTime(now), leaseTransitions: 0 },
      };
      try {
        this.#observe(await client.create(this.#target, fresh, { signal }), this.#clock.now());
        return true;
      } catch (createErr) {
        return this.#failed(createErr, signal);
      }
    }
    const spec = lease.spec ?? {};
    if (lease.metadata.resourceVersion !== this.#observedVersion) this.#observe(lease, now);
    const holder = spec.holderIdentity ?? '';
    const heldFor = (spec.leaseDurationSeconds ?? leaseDurationSeconds) * 1000;
    if (holder !== '' && holder !== identity && this.#observedTime + heldFor > now) return false;

    const renewing = holder === identity;
    const next: LeaseSpec = {
      holderIdentity: identity,
      leaseDurationSeconds,
      acquireTime: renewing ? spec.acquireTime ?? formatMicroTime(now) : formatMicroTime(now),
      renewTime: formatMicroTime(now),
      leaseTransitions: renewing ? spec.leaseTransitions ?? 0 : (spec.leaseTransitions ?? 0) + 1,
    };
    try {
      this.#observe(await client.update(this.#target, { ...lease, spec: next }, { signal }), this.#clock.now());
      return true;
    } catch (err) {
      return this.#failed(err, signal);
    }
  }

  /** Clears the holder so another candidate can take over at once; gives up after a renew deadline. */
  async #release(): Promise<void> {
    const { client, name } = this.#config;
    const attempt = this.#deadlineSignal(new AbortController().signal, this.#renewDeadlineMs);
    const signal = attempt.signal;
    try {
      const lease = await client.get<LeaseObject>(this.#target, name, { signal });
      if (lease.spec?.holderIdentity !== this.#config.identity) return;
      const now = formatMicroTime(this.#clock.now());
      const released: LeaseSpec = {
        holderIdentity: '',
        leaseDurationSeconds: 1,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: lease.spec.leaseTransitions ?? 0,
      };
      this.#observe(await client.update(this.#target, { ...lease, spec: released }, { signal }), this.#clock.now());
    } catch (err) {
      this.#config.onError?.(err);
    } finally {
      attempt.cancel();
    }
  }

  #observe(lease: LeaseObject, at: number): void {
    this.#observed = lease.spec ?? {};
    this.#observedVersion = lease.metadata.resourceVersion ?? '';
    this.#observedTime = at;
    const holder = this.#observed.holderIdentity ?? '';
    if (holder !== '' && holder !== this.#reportedLeader) {
      this.#reportedLeader = holder;
      this.#config.callbacks.onNewLeader?.(holder);
    }
  }

  #failed(err: unknown, signal: AbortSignal): false {
    if (!signal.aborted) this.#config.onError?.(err);
    return false;
  }
}
