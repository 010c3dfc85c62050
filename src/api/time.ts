/**
 * Time as the API writes it: upstream's metav1.Time, RFC 3339 in whole seconds, UTC.
 */

/** `ms` (epoch milliseconds) as an API time, truncated to the second: `2026-11-23T21:40:00Z`. */
export function apiTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
