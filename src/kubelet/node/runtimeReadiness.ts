/**
 * Feeds the container runtime's own conditions (CRI Status: RuntimeReady,
 * NetworkReady) into the node's readiness signals, as the kubelet's runtime state
 * check does: an unreachable runtime is "container runtime is down".
 */
import type { Clock } from '../../client/index.js';
import { runPeriodically } from './periodic.js';
import { RUNTIME_DOWN, networkNotReady, runtimeNotReady, type SettableNodeSignals } from './signals.js';

/** What is read from the runtime: its CRI Status conditions. */
export interface RuntimeStatusSource {
  status(): Promise<{ conditions: { type: string; status: boolean; reason: string; message: string }[] }>;
}

/** How often the runtime is asked (upstream checks every 5 s). */
export const RUNTIME_CHECK_INTERVAL_MS = 5_000;

/** Runs the check until `signal` aborts, setting the `runtime` source of `signals`. */
export function watchRuntimeReadiness(runtime: RuntimeStatusSource, signals: SettableNodeSignals, clock: Clock, signal: AbortSignal): Promise<void> {
  return runPeriodically(clock, signal, {
    async run() {
      const { conditions } = await runtime.status();
      const errors: string[] = [];
      const find = (type: string) => conditions.find((c) => c.type === type);
      const runtimeReady = find('RuntimeReady');
      const networkReady = find('NetworkReady');
      if (runtimeReady?.status !== true) errors.push(runtimeNotReady(runtimeReady?.reason ?? '', runtimeReady?.message ?? ''));
      if (networkReady?.status !== true) errors.push(networkNotReady(networkReady?.reason ?? '', networkReady?.message ?? ''));
      signals.setErrors('runtime', errors);
      return RUNTIME_CHECK_INTERVAL_MS;
    },
    delayAfterFailure() {
      signals.setErrors('runtime', [RUNTIME_DOWN]);
      return RUNTIME_CHECK_INTERVAL_MS;
    },
  });
}
