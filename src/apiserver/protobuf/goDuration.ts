/**
 * Go's `time.Duration` text form (what metav1.Duration marshals to JSON): `0s`,
 * `1.5µs`, `250ms`, `1m30s`, `1h0m0s`, with a leading `-` when negative.
 */

const SECOND = 1_000_000_000n;
const MINUTE = 60n * SECOND;
const HOUR = 60n * MINUTE;

/** `value / 10^digits` in decimal, without trailing fractional zeros. */
function decimal(value: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const fraction = value % scale;
  if (fraction === 0n) return String(value / scale);
  return `${value / scale}.${fraction.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}

/** Formats a duration of `nanoseconds` the way Go's Duration.String does. */
export function formatGoDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const sign = nanoseconds < 0n ? '-' : '';
  const size = nanoseconds < 0n ? -nanoseconds : nanoseconds;
  if (size < 1_000n) return `${sign}${size}ns`;
  if (size < 1_000_000n) return `${sign}${decimal(size, 3)}µs`;
  if (size < SECOND) return `${sign}${decimal(size, 6)}ms`;
  const hours = size / HOUR;
  const minutes = (size % HOUR) / MINUTE;
  const seconds = `${decimal(size % MINUTE, 9)}s`;
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}
