/**
 * What the node's conditions are computed from: why the node is not ready (runtime,
 * network, storage…) and which resources are under pressure. Components own their
 * part (the runtime manager its errors, the eviction manager the pressure flags) and
 * the status loop reads them all on each pass.
 */

/** The inputs of the node conditions, read on every status pass. */
export interface NodeSignals {
  /** Errors keeping the node not ready, each a sentence (empty: ready). */
  readinessErrors(): readonly string[];
  memoryPressure(): boolean;
  diskPressure(): boolean;
  pidPressure(): boolean;
}

/** A runtime condition as upstream's kubelet words it: `RuntimeReady=false reason:X message:Y`. */
function runtimeConditionText(type: string, reason: string, message: string): string {
  return `${type}=false reason:${reason} message:${message}`;
}

/** The not-ready error for a container runtime that reports RuntimeReady=false. */
export function runtimeNotReady(reason: string, message: string): string {
  return `container runtime not ready: ${runtimeConditionText('RuntimeReady', reason, message)}`;
}

/** The not-ready error for a runtime whose network (CNI) reports NetworkReady=false. */
export function networkNotReady(reason: string, message: string): string {
  return `container runtime network not ready: ${runtimeConditionText('NetworkReady', reason, message)}`;
}

/** The not-ready error for a runtime that does not answer. */
export const RUNTIME_DOWN = 'container runtime is down';

/**
 * Signals held as plain settable state: each source (runtime, network, eviction)
 * sets its own entry, and the status loop reads the union.
 */
export class SettableNodeSignals implements NodeSignals {
  readonly #errors = new Map<string, readonly string[]>();
  #memoryPressure = false;
  #diskPressure = false;
  #pidPressure = false;

  /** Replaces the readiness errors of `source` (e.g. `runtime`, `network`); empty clears them. */
  setErrors(source: string, errors: readonly string[]): void {
    if (errors.length === 0) this.#errors.delete(source);
    else this.#errors.set(source, [...errors]);
  }

  /** Sets the pressure flags given; the others keep their values. */
  setPressure(pressure: { memory?: boolean; disk?: boolean; pid?: boolean }): void {
    this.#memoryPressure = pressure.memory ?? this.#memoryPressure;
    this.#diskPressure = pressure.disk ?? this.#diskPressure;
    this.#pidPressure = pressure.pid ?? this.#pidPressure;
  }

  readinessErrors(): readonly string[] {
    return [...this.#errors.values()].flat();
  }

  memoryPressure(): boolean {
    return this.#memoryPressure;
  }

  diskPressure(): boolean {
    return this.#diskPressure;
  }

  pidPressure(): boolean {
    return this.#pidPressure;
  }
}
