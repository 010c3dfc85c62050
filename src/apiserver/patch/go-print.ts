/**
 * Renders decoded JSON the way Go's `%v` prints `map[string]interface{}` and
 * `[]interface{}` values, for the few upstream patch errors that embed them
 * (`map: map[image:nginx] does not contain declared merge key: name`).
 */

/** `%v` of a decoded JSON value: maps as `map[k:v ...]` with sorted keys, lists as `[a b]`. */
export function goPrint(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goPrint).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}:${goPrint(v)}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(value);
}
