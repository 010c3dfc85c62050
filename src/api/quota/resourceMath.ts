/**
 * Arithmetic over resource lists (name → quantity) as quota uses it: sums, masks,
 * the "fits under the limits" test and upstream's compact
 * `name=value,…` rendering.
 */
import { Quantity, parseQuantity } from '../quantity.js';

/** Resource names mapped to exact quantities. */
export type Quantities = Map<string, Quantity>;

/** Parses an API resource list (`{cpu: '1', pods: 2}`); unparsable entries are skipped. */
export function toQuantities(list: Readonly<Record<string, string | number>> | undefined): Quantities {
  const result: Quantities = new Map();
  for (const [name, raw] of Object.entries(list ?? {})) {
    try {
      result.set(name, parseQuantity(String(raw)));
    } catch {
      // Validation keeps invalid quantities out of stored objects.
    }
  }
  return result;
}

/** The API form of a list: canonical quantity strings, names sorted. */
export function toResourceList(quantities: Quantities): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of [...quantities.keys()].sort()) result[name] = (quantities.get(name) as Quantity).toString();
  return result;
}

/** Upstream's quantity sum: a zero takes the format of what is added to it (so `0 + 512Mi` reads `512Mi`). */
function plus(a: Quantity, b: Quantity): Quantity {
  return new Quantity(a.nanos + b.nanos, a.isZero() ? b.format : a.format);
}

/** `a + b` per name; a name in only one list keeps its quantity. */
export function addQuantities(a: Quantities, b: Quantities): Quantities {
  const result: Quantities = new Map(a);
  for (const [name, q] of b) {
    const have = result.get(name);
    result.set(name, have === undefined ? q : plus(have, q));
  }
  return result;
}

/** Only the entries of `list` whose names are in `names`. */
export function maskQuantities(list: Quantities, names: Iterable<string>): Quantities {
  const keep = new Set(names);
  return new Map([...list].filter(([name]) => keep.has(name)));
}

/** The names of `list` whose quantity exceeds the same name in `limits` (names absent there are not limited). */
export function exceededNames(list: Quantities, limits: Quantities): string[] {
  const exceeded: string[] = [];
  for (const [name, q] of list) {
    const limit = limits.get(name);
    if (limit !== undefined && q.cmp(limit) > 0) exceeded.push(name);
  }
  return exceeded.sort();
}

/** True when both lists hold the same names with equal quantities. */
export function sameQuantities(a: Quantities, b: Quantities): boolean {
  if (a.size !== b.size) return false;
  for (const [name, q] of a) {
    const other = b.get(name);
    if (other === undefined || other.cmp(q) !== 0) return false;
  }
  return true;
}

/** Upstream's rendering in quota messages: `name=value` pairs sorted by name, comma-separated. */
export function prettyPrintQuantities(list: Quantities): string {
  return [...list.keys()]
    .sort()
    .map((name) => `${name}=${(list.get(name) as Quantity).toString()}`)
    .join(',');
}

/** A whole count as a quantity (`pods=1`). */
export function countOf(n: number): Quantity {
  return Quantity.fromInteger(n);
}
