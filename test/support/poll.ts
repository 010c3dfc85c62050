/**
 * Test support: bounded polling. Tests wait for a state by asking again until a
 * deadline, never by sleeping a fixed time and hoping.
 */

/**
 * Calls `probe` every `intervalMs` until it returns a value other than undefined and
 * resolves to that value; rejects with `what` and the last probe error once
 * `timeoutMs` has passed.
 */
export async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (true) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Resolves once `condition()` holds, checking every few milliseconds; rejects naming
 * `what` after `timeoutMs`. For state that changes by itself (watch events arriving).
 */
export async function waitUntil(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  await pollUntil(what, async () => (condition() ? true : undefined), timeoutMs, 5);
}
