/**
 * One probe of one container (upstream prober worker): every periodSeconds it looks
 * at the container and, when due, runs the probe and turns runs into a verdict with
 * successThreshold/failureThreshold. A new container instance resets the verdict to
 * the probe kind's initial one (readiness: failure, liveness: success, startup: none).
 * Liveness and readiness wait for the container to have started (startup probe
 * passed); a startup probe stops once it has. After a liveness or startup failure
 * the worker holds until the container is replaced. Time comes from the clock.
 */
import type { Probe } from 'kubernetes-types/core/v1.js';
import type { Clock, TimerHandle } from '../../client/index.js';
import type { ProbeResult } from '../pod/runtimeTypes.js';
import type { CheckOutcome } from './outcome.js';

/** The three probe kinds. */
export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** What the worker sees of its container before each run; undefined: nothing known yet. */
export interface ContainerObservation {
  /** Runtime id of the latest instance (undefined: none created yet). */
  containerId?: string;
  running: boolean;
  /** When the running instance started, ms since the epoch. */
  startedAt?: number;
  /** Whether the startup probe passed (true when there is none). */
  started: boolean;
  /** The container will never run again (pod terminal or restartPolicy Never and exited). */
  finished: boolean;
}

/** A worker's collaborators. */
export interface ProbeWorkerOptions {
  kind: ProbeKind;
  probe: Probe;
  clock: Clock;
  observe: () => ContainerObservation | undefined;
  /** Runs the probe against the running instance `containerId`. */
  run: (containerId: string) => Promise<CheckOutcome>;
  /** Stores the verdict for `containerId` (undefined: forget it). */
  setResult: (containerId: string, result: ProbeResult | undefined) => void;
  /** Told about every run that did not succeed (for events). */
  onUnsuccessful: (containerId: string, outcome: CheckOutcome) => void;
}

const INITIAL: Record<ProbeKind, ProbeResult | undefined> = { liveness: 'success', readiness: 'failure', startup: undefined };

/** A running probe loop; `start` once, `stop` to end it (it forgets its verdict). */
export class ProbeWorker {
  readonly #o: ProbeWorkerOptions;
  #timer: TimerHandle | undefined;
  #stopped = false;
  #containerId: string | undefined;
  #onHold = false;
  #lastResult: ProbeResult | undefined;
  #run = 0;

  constructor(options: ProbeWorkerOptions) {
    this.#o = options;
  }

  /** Probes now and then every periodSeconds (default 10) until stopped or the container is finished. */
  start(): void {
    this.#schedule(0);
  }

  /** Stops probing and forgets the verdict. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#o.clock.clearTimeout(this.#timer);
    if (this.#containerId !== undefined) this.#o.setResult(this.#containerId, undefined);
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = this.#o.clock.setTimeout(() => {
      void this.#tick().then((keepGoing) => {
        if (keepGoing) this.#schedule((this.#o.probe.periodSeconds ?? 10) * 1000);
      });
    }, ms);
  }

  /** One probe cycle; false when the worker should end. */
  async #tick(): Promise<boolean> {
    const seen = this.#o.observe();
    if (this.#stopped) return false;
    if (seen?.containerId === undefined) return true;
    if (seen.containerId !== this.#containerId) {
      if (this.#containerId !== undefined) this.#o.setResult(this.#containerId, undefined);
      this.#containerId = seen.containerId;
      this.#o.setResult(seen.containerId, INITIAL[this.#o.kind]);
      this.#onHold = false;
      this.#lastResult = undefined;
      this.#run = 0;
    }
    if (this.#onHold) return true;
    if (!seen.running) {
      this.#o.setResult(seen.containerId, 'failure');
      return !seen.finished;
    }
    const initialDelayMs = (this.#o.probe.initialDelaySeconds ?? 0) * 1000;
    if (seen.startedAt !== undefined && this.#o.clock.now() - seen.startedAt < initialDelayMs) return true;
    if (this.#o.kind === 'startup' ? seen.started : !seen.started) return true;

    const id = seen.containerId;
    const outcome = await this.#o.run(id);
    if (this.#stopped || id !== this.#containerId) return !this.#stopped;
    if (outcome.result !== 'success') this.#o.onUnsuccessful(id, outcome);
    if (outcome.result === 'error') return true;
    const result: ProbeResult = outcome.result;
    this.#run = result === this.#lastResult ? this.#run + 1 : 1;
    this.#lastResult = result;
    const threshold = result === 'failure' ? this.#o.probe.failureThreshold ?? 3 : this.#o.probe.successThreshold ?? 1;
    if (this.#run < threshold) return true;
    this.#o.setResult(id, result);
    if (result === 'failure' && this.#o.kind !== 'readiness') {
      this.#onHold = true;
      this.#run = 0;
    }
    return true;
  }
}
