/**
 * One term of a label selector (`app in (a,b)`, `!tier`, `env=prod`): its checked
 * construction with upstream's field-error wording, its match against a label map,
 * and its canonical text form.
 */
import { badRequest, formatFieldValue } from '../status.js';
import { goStringSlice } from '../validation/goValue.js';
import { isQualifiedName, isValidLabelValue } from '../validation/labels.js';

/** Upstream `selection.Operator` values a label requirement can carry. */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

/** A validated requirement: a key, an operator and (for most operators) values. */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

/** The labels of an object; absent means no labels. */
export type Labels = Readonly<Record<string, string>> | undefined;

/**
 * Where requirement errors are reported. Upstream's string parser has no path
 * (rendered `<nil>`); the object form reports `key`, `values`, `values[0][key]`.
 */
const NIL_PATH = '<nil>';

/** `<path>: Invalid value: <rendered>: <detail>`, as a Go `field.Error` prints. */
function invalidText(path: string, rendered: string, detail: string): string {
  return `${path}: Invalid value: ${rendered}: ${detail}`;
}

/** Joins error messages the way Go's aggregate does: one as is, several as `[a, b]`, duplicates dropped. */
export function aggregateMessages(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] ?? '') : `[${unique.join(', ')}]`;
}

/** Upstream's label-key check as a selector reports it; undefined when the key is valid. */
export function labelKeyProblem(key: string, path = NIL_PATH): string | undefined {
  const errs = isQualifiedName(key);
  return errs.length === 0 ? undefined : invalidText(path, formatFieldValue(key), errs.join('; '));
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's `strconv.ParseInt(s, 10, 64)`: an optionally signed decimal within int64, else undefined. */
export function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}

/**
 * Builds a requirement, checking it as upstream's `labels.NewRequirement` does;
 * throws a 400 BadRequest StatusError whose message is the aggregated field errors.
 * `values` undefined renders as Go's nil slice in messages.
 */
export function newLabelRequirement(
  key: string,
  operator: LabelOperator,
  values: readonly string[] | undefined,
): LabelRequirement {
  const vals = values ?? [];
  const errs: string[] = [];
  const keyProblem = labelKeyProblem(key, 'key');
  if (keyProblem !== undefined) errs.push(keyProblem);
  switch (operator) {
    case 'in':
    case 'notin':
      if (vals.length === 0) {
        errs.push(invalidText('values', goStringSlice(values), "for 'in', 'notin' operators, values set can't be empty"));
      }
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) {
        errs.push(invalidText('values', goStringSlice(values), 'exact-match compatibility requires one single value'));
      }
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) {
        errs.push(
          invalidText('values', goStringSlice(values), 'values set must be empty for exists and does not exist'),
        );
      }
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) {
        errs.push(
          invalidText('values', goStringSlice(values), "for 'Gt', 'Lt' operators, exactly one value is required"),
        );
      }
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(
            invalidText(`values[${i}]`, formatFieldValue(v), "for 'Gt', 'Lt' operators, the value must be an integer"),
          );
        }
      });
      break;
  }
  vals.forEach((v, i) => {
    const problems = isValidLabelValue(v);
    if (problems.length > 0) errs.push(invalidText(`values[${i}][${key}]`, formatFieldValue(v), problems.join('; ')));
  });
  if (errs.length > 0) throw badRequest(aggregateMessages(errs));
  return { key, operator, values: [...vals] };
}

/** True when `labels` satisfy the requirement (upstream `Requirement.Matches`). */
export function requirementMatches(req: LabelRequirement, labels: Labels): boolean {
  const has = labels !== undefined && labels !== null && Object.hasOwn(labels, req.key);
  const value = has ? String(labels[req.key]) : undefined;
  switch (req.operator) {
    case 'in':
    case '=':
    case '==':
      return value !== undefined && req.values.includes(value);
    case 'notin':
    case '!=':
      return value === undefined || !req.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (value === undefined || req.values.length !== 1) return false;
      const actual = parseInt64(value);
      const bound = parseInt64(req.values[0] ?? '');
      if (actual === undefined || bound === undefined) return false;
      return req.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

const OPERATOR_TEXT: Readonly<Record<LabelOperator, string>> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
};

/** The canonical text of a requirement: `!k`, `k`, `k=v`, `k in (a,b)` (values sorted). */
export function requirementToString(req: LabelRequirement): string {
  if (req.operator === '!') return `!${req.key}`;
  if (req.operator === 'exists') return req.key;
  const values = req.values.length === 1 ? (req.values[0] ?? '') : [...req.values].sort().join(',');
  const body = `${req.key}${OPERATOR_TEXT[req.operator]}`;
  return req.operator === 'in' || req.operator === 'notin' ? `${body}(${values})` : `${body}${values}`;
}
