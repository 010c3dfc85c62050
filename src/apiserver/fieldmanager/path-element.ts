/**
 * One step of a field path, as structured-merge-diff names them: a field of a map
 * (`f:name`), an item of a keyed list (`k:{"name":"c"}`), an item of a set
 * (`v:"value"`) or an item of a list by position (`i:0`). `serialize` gives the
 * FieldsV1 key, which is also the identity of the step; `formatPath` gives the
 * human form used in conflict messages (`.spec.containers[name="c"].image`).
 */

/** A path element. Key fields are kept sorted by name. */
export type PathElement =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'key'; readonly fields: readonly (readonly [string, unknown])[] }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'index'; readonly index: number };

/** A field path. */
export type FieldPath = readonly PathElement[];

/** `f:<name>`. */
export function fieldElement(name: string): PathElement {
  return { kind: 'field', name };
}

/** `k:{...}` from key fields in any order. */
export function keyElement(fields: Iterable<readonly [string, unknown]>): PathElement {
  return { kind: 'key', fields: [...fields].sort(([a], [b]) => compareStrings(a, b)) };
}

/** The FieldsV1 key of a path element; equal elements serialize equally. */
export function serializePathElement(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return `f:${pe.name}`;
    case 'key':
      return `k:{${pe.fields.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
    case 'value':
      return `v:${JSON.stringify(pe.value)}`;
    case 'index':
      return `i:${pe.index}`;
  }
}

/** Parses a FieldsV1 key; throws on a malformed one. */
export function parsePathElement(text: string): PathElement {
  if (text.length < 2 || text[1] !== ':') throw new Error(`invalid path element: ${text}`);
  const body = text.slice(2);
  switch (text[0]) {
    case 'f':
      return { kind: 'field', name: body };
    case 'v':
      return { kind: 'value', value: JSON.parse(body) as unknown };
    case 'k': {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`invalid key: ${text}`);
      return keyElement(Object.entries(parsed));
    }
    case 'i': {
      const index = Number(body);
      if (!Number.isInteger(index)) throw new Error(`invalid index: ${text}`);
      return { kind: 'index', index };
    }
    default:
      throw new Error('unknown path element type');
  }
}

/** The human form of a path, as in conflict messages. */
export function formatPath(path: FieldPath): string {
  return path.map(formatPathElement).join('');
}

function formatPathElement(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return `.${pe.name}`;
    case 'key':
      return `[${pe.fields.map(([k, v]) => `${k}=${formatValue(v)}`).join(',')}]`;
    case 'value':
      return `[=${formatValue(pe.value)}]`;
    case 'index':
      return `[${pe.index}]`;
  }
}

/** A value as structured-merge-diff prints it: strings quoted, others bare. */
function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(',')}]`;
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}=${formatValue(v)}`).join('');
  return String(value);
}

const KIND_RANK = { field: 0, key: 1, value: 2, index: 3 } as const;

/** The total order of path elements used for FieldsV1 output: fields, keys, values, indices. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  if (a.kind !== b.kind) return KIND_RANK[a.kind] - KIND_RANK[b.kind];
  if (a.kind === 'field' && b.kind === 'field') return compareStrings(a.name, b.name);
  if (a.kind === 'index' && b.kind === 'index') return a.index - b.index;
  if (a.kind === 'value' && b.kind === 'value') return compareValues(a.value, b.value);
  if (a.kind === 'key' && b.kind === 'key') {
    for (let i = 0; i < Math.min(a.fields.length, b.fields.length); i++) {
      const [an, av] = a.fields[i] as readonly [string, unknown];
      const [bn, bv] = b.fields[i] as readonly [string, unknown];
      const c = compareStrings(an, bn) || compareValues(av, bv);
      if (c !== 0) return c;
    }
    return a.fields.length - b.fields.length;
  }
  return 0;
}

/** Orders scalars as structured-merge-diff does: numbers, then strings, then booleans, then the rest. */
function compareValues(a: unknown, b: unknown): number {
  const rank = (v: unknown): number =>
    typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : v === null ? 4 : 3;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return compareStrings(JSON.stringify(a), JSON.stringify(b));
}

/** Byte-wise string order (Go's strings.Compare for ASCII keys). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
