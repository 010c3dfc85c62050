/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `1e3`): parsing, exact
 * arithmetic and comparison, and upstream's canonical string form. Values are
 * held exactly as a count of nano-units; finer precision is rounded up (away
 * from zero) to 1n, as upstream does.
 */

/** How a quantity prints: binary suffixes (Ki…Ei), decimal suffixes (n…E) or `eN` exponents. */
export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

/** The pattern every quantity string must match (upstream `ErrFormatWrong` quotes it). */
export const QUANTITY_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

/** Thrown by `parseQuantity` with upstream's messages. */
export class QuantityParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityParseError';
  }
}

const NANO = 10n ** 9n;
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;
const DECIMAL_SUFFIXES: Readonly<Record<number, string>> = {
  [-9]: 'n',
  [-6]: 'u',
  [-3]: 'm',
  0: '',
  3: 'k',
  6: 'M',
  9: 'G',
  12: 'T',
  15: 'P',
  18: 'E',
};

interface Multiplier {
  /** Value of one unit in nanos, as numerator / denominator. */
  num: bigint;
  den: bigint;
  format: QuantityFormat;
}

function suffixMultiplier(suffix: string): Multiplier | undefined {
  const binary = BINARY_SUFFIXES.indexOf(suffix as (typeof BINARY_SUFFIXES)[number]);
  if (binary > 0) return { num: 1024n ** BigInt(binary) * NANO, den: 1n, format: 'BinarySI' };
  for (const [exp, s] of Object.entries(DECIMAL_SUFFIXES)) {
    if (s === suffix) return powerOfTen(Number(exp), 'DecimalSI');
  }
  const exponent = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
  if (exponent?.[1] !== undefined) return powerOfTen(Number(exponent[1]), 'DecimalExponent');
  return undefined;
}

function powerOfTen(exp: number, format: QuantityFormat): Multiplier {
  const shifted = exp + 9;
  return shifted >= 0
    ? { num: 10n ** BigInt(shifted), den: 1n, format }
    : { num: 1n, den: 10n ** BigInt(-shifted), format };
}

/** Division rounding away from zero (upstream rounds sub-nano precision up). */
function divAwayFromZero(n: bigint, d: bigint): bigint {
  const q = n / d;
  if (q * d === n) return q;
  return n < 0n ? q - 1n : q + 1n;
}

/** An exact resource quantity. Immutable. */
export class Quantity {
  /** The value in nano-units (value × 10^9). */
  readonly nanos: bigint;
  /** The format the quantity was written in, used for its canonical form. */
  readonly format: QuantityFormat;

  constructor(nanos: bigint, format: QuantityFormat = 'DecimalSI') {
    this.nanos = nanos;
    this.format = format;
  }

  /** A quantity of `value` whole units (e.g. bytes, cores). */
  static fromInteger(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value) * NANO, format);
  }

  /** A quantity of `milli` thousandths (e.g. millicores). */
  static fromMilli(milli: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(milli) * 10n ** 6n, format);
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than `other`. */
  cmp(other: Quantity): -1 | 0 | 1 {
    return this.nanos < other.nanos ? -1 : this.nanos > other.nanos ? 1 : 0;
  }

  /** The sum, keeping this quantity's format. */
  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.format);
  }

  /** The difference, keeping this quantity's format. */
  sub(other: Quantity): Quantity {
    return new Quantity(this.nanos - other.nanos, this.format);
  }

  /** True when the value is zero. */
  isZero(): boolean {
    return this.nanos === 0n;
  }

  /** The value in whole units, rounded up (upstream `Value()`). */
  value(): number {
    return Number(divAwayFromZero(this.nanos, NANO));
  }

  /** The value in thousandths, rounded up (upstream `MilliValue()`). */
  milliValue(): number {
    return Number(divAwayFromZero(this.nanos, 10n ** 6n));
  }

  /** The value as a float (may lose precision). */
  toNumber(): number {
    return Number(this.nanos) / 1e9;
  }

  /** This quantity rounded up to milli precision (the defaulting applied to resource lists). */
  roundUpToMilli(): Quantity {
    const step = 10n ** 6n;
    return new Quantity(divAwayFromZero(this.nanos, step) * step, this.format);
  }

  /** The canonical form: no precision lost, no fraction, the largest suffix possible. */
  toString(): string {
    if (this.nanos === 0n) return '0';
    const sign = this.nanos < 0n ? '-' : '';
    const abs = this.nanos < 0n ? -this.nanos : this.nanos;
    if (this.format === 'BinarySI' && abs >= 1024n * NANO && abs % NANO === 0n) {
      let units = abs / NANO;
      let power = 0;
      while (power < BINARY_SUFFIXES.length - 1 && units % 1024n === 0n) {
        units /= 1024n;
        power++;
      }
      return `${sign}${units}${BINARY_SUFFIXES[power]}`;
    }
    let mantissa = abs;
    let exp = -9;
    while (exp < 18 && mantissa % 1000n === 0n) {
      mantissa /= 1000n;
      exp += 3;
    }
    const suffix =
      this.format === 'DecimalExponent' ? (exp === 0 ? '' : `e${exp}`) : (DECIMAL_SUFFIXES[exp] ?? '');
    return `${sign}${mantissa}${suffix}`;
  }

  /** JSON form: the canonical string. */
  toJSON(): string {
    return this.toString();
  }
}

/** Parses a quantity string; throws `QuantityParseError` with upstream's wording. */
export function parseQuantity(text: string): Quantity {
  const match = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(text);
  if (text.length === 0 || match === null) {
    throw new QuantityParseError(`quantities must match the regular expression '${QUANTITY_PATTERN}'`);
  }
  const numeric = match[1] ?? '';
  const suffix = match[2] ?? '';
  const number = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/.exec(numeric);
  if (number === null || ((number[2] ?? '') === '' && (number[3] ?? '') === '')) {
    throw new QuantityParseError('unable to parse numeric part of quantity');
  }
  const multiplier = suffixMultiplier(suffix);
  if (multiplier === undefined) throw new QuantityParseError("unable to parse quantity's suffix");
  const fraction = number[3] ?? '';
  const digits = BigInt(`${number[2] ?? ''}${fraction}` || '0');
  const scale = 10n ** BigInt(fraction.length);
  let nanos = divAwayFromZero(digits * multiplier.num, scale * multiplier.den);
  if (number[1] === '-') nanos = -nanos;
  return new Quantity(nanos, multiplier.format);
}

/** Parses a quantity, or returns undefined when the text is not one. */
export function tryParseQuantity(text: string): Quantity | undefined {
  try {
    return parseQuantity(text);
  } catch {
    return undefined;
  }
}

/** The canonical string of a quantity given as text or number (e.g. `1024Mi` → `1Gi`). */
export function canonicalQuantity(value: string | number): string {
  return parseQuantity(String(value)).toString();
}
