/**
 * Waits for asynchronous client machinery to reach a state, by turning the event loop
 * (never by wall-clock time): fails after `rounds` turns without the condition holding.
 */
import { settle } from '../clock.js';

/** Resolves once `condition()` is true; throws after `rounds` event-loop settles without it. */
export async function eventually(condition: () => boolean, what = 'condition', rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (condition()) return;
    await settle();
  }
  if (!condition()) throw new Error(`${what} did not hold after ${rounds} event-loop rounds`);
}
