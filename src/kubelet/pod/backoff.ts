/**
 * Crash-loop back-off for restarting containers, as upstream's kubelet: the delay
 * starts at 10 s and doubles per restart up to 5 min; a container that finishes more
 * than twice the maximum (10 min) after its last restart starts over at 10 s.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { formatPod } from './podHelpers.js';

/** The time source back-off reads; `client/clock.ts` clocks fit. */
export interface NowSource {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** Upstream's defaults: 10 s initial delay, 5 min cap. */
export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

/** Per-key exponential back-off with an injected clock (upstream `flowcontrol.Backoff`, without jitter). */
export class BackOff {
  readonly #clock: NowSource;
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #entries = new Map<string, Entry>();

  constructor(clock: NowSource, initialMs = INITIAL_BACKOFF_MS, maxMs = MAX_BACKOFF_MS) {
    this.#clock = clock;
    this.#initialMs = initialMs;
    this.#maxMs = maxMs;
  }

  /** The current delay for `key`, 0 when it has none. */
  get(key: string): number {
    return this.#entries.get(key)?.delayMs ?? 0;
  }

  /**
   * Records a restart at the clock's now: the first one (or one after the entry
   * expired relative to `eventTime`) gets the initial delay, later ones double it up to the cap.
   */
  next(key: string, eventTime: number): void {
    const entry = this.#entries.get(key);
    const delayMs = entry === undefined || this.#expired(eventTime, entry) ? this.#initialMs : Math.min(entry.delayMs * 2, this.#maxMs);
    this.#entries.set(key, { delayMs, lastUpdate: this.#clock.now() });
  }

  /** True while less than the current delay has passed since `eventTime` (and the entry has not expired). */
  isInBackOffSince(key: string, eventTime: number): boolean {
    const entry = this.#entries.get(key);
    if (entry === undefined || this.#expired(eventTime, entry)) return false;
    return this.#clock.now() - eventTime < entry.delayMs;
  }

  /** Forgets `key`. */
  reset(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops entries not updated for more than twice the cap. */
  gc(): void {
    const now = this.#clock.now();
    for (const [key, entry] of this.#entries) {
      if (now - entry.lastUpdate > this.#maxMs * 2) this.#entries.delete(key);
    }
  }

  #expired(eventTime: number, entry: Entry): boolean {
    return eventTime - entry.lastUpdate > this.#maxMs * 2;
  }
}

/** The back-off key of one container of one pod (upstream keys by name, namespace, uid, container and spec hash). */
export function backOffKey(pod: Pod, containerName: string, specHash = ''): string {
  const m = pod.metadata;
  return `${m?.name ?? ''}_${m?.namespace ?? ''}_${m?.uid ?? ''}_${containerName}_${specHash}`;
}

/** A duration as Go's `time.Duration.String` prints it: `10s`, `1m20s`, `5m0s`, `1h0m0s`, `1.5s`, `0s`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = String((ms % 60_000) / 1000);
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/** The verdict of `backOffBeforeStart`. */
export type BackOffVerdict =
  | { inBackOff: false }
  | {
      inBackOff: true;
      /** `CrashLoopBackOff`: the waiting reason the container shows. */
      reason: 'CrashLoopBackOff';
      /** The waiting message, e.g. `back-off 10s restarting failed container=c pod=p_ns(uid)`. */
      message: string;
      /** The Warning event's message, `Back-off restarting failed container c in pod p_ns(uid)` (reason BackOff). */
      eventMessage: string;
    };

/**
 * Decides whether a container about to (re)start must wait, as upstream's `doBackOff`.
 * `lastFinishedAt` is when its latest exited instance finished (undefined: it never
 * exited, so no back-off). Within the delay it reports CrashLoopBackOff; otherwise it
 * records this restart (advancing the delay) and lets the start go ahead.
 */
export function backOffBeforeStart(backOff: BackOff, pod: Pod, containerName: string, lastFinishedAt: number | undefined, specHash = ''): BackOffVerdict {
  if (lastFinishedAt === undefined) return { inBackOff: false };
  const key = backOffKey(pod, containerName, specHash);
  if (backOff.isInBackOffSince(key, lastFinishedAt)) {
    const podName = formatPod(pod);
    return {
      inBackOff: true,
      reason: 'CrashLoopBackOff',
      message: `back-off ${formatGoDuration(backOff.get(key))} restarting failed container=${containerName} pod=${podName}`,
      eventMessage: `Back-off restarting failed container ${containerName} in pod ${podName}`,
    };
  }
  backOff.next(key, lastFinishedAt);
  return { inBackOff: false };
}
