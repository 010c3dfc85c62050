/**
 * The pod lifecycle event generator (upstream's generic PLEG): relists the runtime
 * every period on an injected clock and reports the uids of pods whose sandboxes or
 * containers changed (appeared, changed state, or vanished) since the last relist.
 */
import { sleep } from '../client/index.js';
import type { Clock } from '../client/index.js';
import type { RuntimeView } from './runtimeView.js';

/** Upstream's relist period. */
export const DEFAULT_RELIST_PERIOD_MS = 1_000;

/** How a Pleg runs. */
export interface PlegOptions {
  view: RuntimeView;
  clock: Clock;
  periodMs?: number;
  /** Called with the uid of each pod that changed (every labelled pod on the first relist). */
  onPodChanged: (uid: string) => void;
  onError: (err: unknown) => void;
}

/** One PLEG; `run(signal)` relists until `signal` aborts. */
export class Pleg {
  readonly #o: PlegOptions;
  #last = new Map<string, string>();

  constructor(options: PlegOptions) {
    this.#o = options;
  }

  /** One relist: compares with the previous one and reports changed pods. */
  async relist(): Promise<void> {
    const current = await this.#o.view.fingerprints();
    for (const [uid, print] of current) if (this.#last.get(uid) !== print) this.#o.onPodChanged(uid);
    for (const uid of this.#last.keys()) if (!current.has(uid)) this.#o.onPodChanged(uid);
    this.#last = current;
  }

  /** Relists every period until `signal` aborts; a failed relist is reported and retried next period. */
  async run(signal: AbortSignal): Promise<void> {
    const period = this.#o.periodMs ?? DEFAULT_RELIST_PERIOD_MS;
    while (!signal.aborted) {
      try {
        await this.relist();
      } catch (err) {
        if (!signal.aborted) this.#o.onError(err);
      }
      await sleep(this.#o.clock, period, signal);
    }
  }
}
