/**
 * What one run of a probe or hook handler found: `success`, `failure` (the check ran
 * and said no), or `error` (the check could not run; upstream throws such results away).
 */
export interface CheckOutcome {
  result: 'success' | 'failure' | 'error';
  /** Human-readable detail (command output, HTTP status, connection error). */
  output: string;
}

/** A successful outcome with `output`. */
export function passed(output = ''): CheckOutcome {
  return { result: 'success', output };
}

/** A failed outcome with `output`. */
export function failed(output: string): CheckOutcome {
  return { result: 'failure', output };
}

/** The message of any thrown value. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
