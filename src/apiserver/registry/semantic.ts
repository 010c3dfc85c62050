/**
 * Semantic equality and a readable difference of two API values, treating
 * absent, null and empty lists alike (they encode identically on the wire).
 */
import { isDeepStrictEqual } from 'node:util';
import { isPlainObject } from '../../api/object.js';

/** A copy of `value` without nulls, undefined members or empty arrays. */
export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || member === null) continue;
    if (Array.isArray(member) && member.length === 0) continue;
    out[key] = normalize(member);
  }
  return out;
}

/** True when `a` and `b` are equal once normalized. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(normalize(a), normalize(b));
}

/** Lines `- path: old` / `+ path: new` for each leaf that differs between `before` and `after`. */
export function describeDiff(before: unknown, after: unknown, path: string): string[] {
  const a = normalize(before);
  const b = normalize(after);
  if (isDeepStrictEqual(a, b)) return [];
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => describeDiff(a[k], b[k], `${path}.${k}`));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((item, i) => describeDiff(item, b[i], `${path}[${i}]`));
  }
  const lines: string[] = [];
  if (a !== undefined) lines.push(`- ${path}: ${JSON.stringify(a)}`);
  if (b !== undefined) lines.push(`+ ${path}: ${JSON.stringify(b)}`);
  return lines;
}
