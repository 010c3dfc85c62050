/**
 * Field selectors (`fieldSelector=` query parameter, `kubectl --field-selector`):
 * comma-separated `field=value`, `field==value` or `field!=value` terms, ANDed.
 * In values, `\\`, `\,` and `\=` escape a backslash, comma or equals sign.
 * Which fields a resource supports is checked separately, with upstream's two
 * messages (resources with their own field list vs. the metadata-only default).
 */
import type { KubeObject } from '../object.js';
import { badRequest } from '../status.js';

/** One term: the field, whether it must equal or differ from the value, and the unescaped value. */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** Reads a field of an object as a string (undefined reads as the empty string). */
export type FieldAccessor = (field: string) => string | undefined;

/** A compiled field selector: the AND of its requirements. */
export class FieldSelector {
  constructor(
    /** Requirements in upstream's order (terms sorted as text). */
    readonly requirements: readonly FieldRequirement[],
  ) {}

  /** True when every requirement holds for the fields `get` reads. */
  matches(get: FieldAccessor): boolean {
    return this.requirements.every((r) => ((get(r.field) ?? '') === r.value) === (r.operator === '='));
  }

  /** True when the selector restricts nothing. */
  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  /** The value `field` must equal for any match (`field=value`), or undefined. */
  requiredValue(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }

  /** Canonical text: `field=value` / `field!=value` with values escaped, joined with `,`. */
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }
}

/** Escapes `\`, `,` and `=` in a literal value for use in a field selector. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (ch) => `\\${ch}`);
}

/** Undoes `escapeFieldValue`; throws upstream's errors for bad escapes or bare `,`/`=`. */
export function unescapeFieldValue(text: string): string {
  let out = '';
  let escaped = false;
  for (const ch of text) {
    if (escaped) {
      if (ch !== '\\' && ch !== ',' && ch !== '=') {
        throw badRequest(`invalid field selector: invalid escape sequence: \\${ch}`);
      }
      out += ch;
      escaped = false;
    } else if (ch === '\\') {
      escaped = true;
    } else if (ch === ',' || ch === '=') {
      // Go prints the rune with %v: its code point number.
      throw badRequest(`invalid field selector: unescaped character in value: ${ch.codePointAt(0) ?? 0}`);
    } else {
      out += ch;
    }
  }
  if (escaped) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Splits on commas that are not escaped; escapes stay in the terms. */
function splitTerms(text: string): string[] {
  if (text === '') return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

/**
 * Which fields a resource supports beyond `metadata.name` and `metadata.namespace`:
 * either the list of extra fields (a strategy's `selectableFields` keys), which picks
 * upstream's exact message per resource, or a predicate over every field name.
 */
export type FieldSupport = readonly string[] | ((field: string) => boolean);

/**
 * Parses a field selector. With `supported`, also checks every field (see
 * `checkFieldSelectorFields`). Throws a 400 BadRequest StatusError with upstream's message.
 */
export function parseFieldSelector(text: string, supported?: FieldSupport): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(text).sort()) {
    if (term === '') continue;
    let split: { field: string; op: (typeof TERM_OPERATORS)[number]; rest: string } | undefined;
    for (let i = 0; i < term.length && split === undefined; i++) {
      const op = TERM_OPERATORS.find((candidate) => term.startsWith(candidate, i));
      if (op !== undefined) split = { field: term.slice(0, i), op, rest: term.slice(i + op.length) };
    }
    if (split === undefined) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    requirements.push({
      field: split.field,
      operator: split.op === '!=' ? '!=' : '=',
      value: unescapeFieldValue(split.rest),
    });
  }
  const selector = new FieldSelector(requirements);
  if (supported !== undefined) checkFieldSelectorFields(selector, supported);
  return selector;
}

/** Fields every resource supports. */
export const METADATA_FIELDS = ['metadata.name', 'metadata.namespace'] as const;

/**
 * Checks that every field is supported. With a list of extra fields, a resource that
 * has some answers upstream's `field label not supported: <field>` and one without
 * answers upstream's default `"<field>" is not a known field selector: only
 * "metadata.name", "metadata.namespace"`. With a predicate, the field must pass it
 * and the message is `field label not supported: <field>`.
 * Throws a 400 BadRequest StatusError.
 */
export function checkFieldSelectorFields(selector: FieldSelector, supported: FieldSupport = []): void {
  for (const { field } of selector.requirements) {
    if (typeof supported === 'function') {
      if (!supported(field)) throw badRequest(`field label not supported: ${field}`);
      continue;
    }
    if ((METADATA_FIELDS as readonly string[]).includes(field) || supported.includes(field)) continue;
    if (supported.length > 0) throw badRequest(`field label not supported: ${field}`);
    throw badRequest(
      `${JSON.stringify(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
    );
  }
}

/** A strategy's map of extra selectable fields to their value in an object. */
export type SelectableFields = Readonly<Record<string, (obj: KubeObject) => string | undefined>>;

/** Reads `metadata.name`, `metadata.namespace` and the given extra fields of an object. */
export function objectFieldAccessor(obj: KubeObject, extra: SelectableFields = {}): FieldAccessor {
  return (field) => {
    if (field === 'metadata.name') return obj.metadata.name;
    if (field === 'metadata.namespace') return obj.metadata.namespace;
    const read = Object.hasOwn(extra, field) ? extra[field] : undefined;
    return read === undefined ? undefined : read(obj);
  };
}

/**
 * Everything a list/watch handler needs in one call: parses `text`, checks its fields
 * against the resource's selectable fields, and returns a predicate over objects.
 * Throws a 400 BadRequest StatusError with upstream's message.
 */
export function compileFieldSelector(
  text: string,
  selectable: SelectableFields = {},
): { selector: FieldSelector; matches: (obj: KubeObject) => boolean } {
  const selector = parseFieldSelector(text, Object.keys(selectable));
  return { selector, matches: (obj) => selector.matches(objectFieldAccessor(obj, selectable)) };
}
