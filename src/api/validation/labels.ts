/**
 * Label keys ("qualified names"), label values, label maps, label selectors and
 * annotations, with upstream's messages and field paths.
 */
import { fieldError, type FieldError } from '../status.js';
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';
import { emptyError, maxLenError, regexError } from './messages.js';
import { isDNS1123Subdomain } from './names.js';

const KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const KEY_ERR =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const KEY_MAX_LENGTH = 63;
const VALUE_FMT = `(${KEY_FMT})?`;
const VALUE_ERR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

const keyName = new RegExp(`^${KEY_FMT}$`);
const labelValue = new RegExp(`^${VALUE_FMT}$`);

/** Maximum length of a label value. */
export const LABEL_VALUE_MAX_LENGTH = 63;

/** Maximum total size (keys + values, in bytes) of an object's annotations: 256 KiB. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/**
 * Checks a qualified name (label key, annotation key, finalizer, condition type):
 * an optional DNS-subdomain prefix and '/', then a name of ≤ 63 characters.
 */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a valid label key ${regexError(KEY_ERR, KEY_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (name.length > KEY_MAX_LENGTH) errs.push(`name part ${maxLenError(KEY_MAX_LENGTH)}`);
  if (!keyName.test(name)) errs.push(`name part ${regexError(KEY_ERR, KEY_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** Checks a label value: empty, or ≤ 63 alphanumerics, '-', '_' or '.' starting and ending alphanumeric. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValue.test(value)) errs.push(regexError(VALUE_ERR, VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** Validates one label key at `path` (upstream `ValidateLabelName`). */
export function validateLabelName(key: string, path: string): FieldError[] {
  return isQualifiedName(key).map((m) => fieldError.invalid(path, key, m));
}

/** Validates a label map; every error is reported at `path` itself, as upstream does. */
export function validateLabels(labels: Readonly<Record<string, string>> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(key, path));
    errs.push(...isValidLabelValue(String(value)).map((m) => fieldError.invalid(path, value, m)));
  }
  return errs;
}

/** Total bytes of keys plus values, as the annotation size limit counts them. */
export function annotationsSize(annotations: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) {
    total += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  }
  return total;
}

/** Validates annotations: keys are qualified names (any case); total size ≤ 256 KiB. */
export function validateAnnotations(
  annotations: Readonly<Record<string, string>> | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (annotations === undefined) return errs;
  for (const key of Object.keys(annotations)) {
    errs.push(...isQualifiedName(key.toLowerCase()).map((m) => fieldError.invalid(path, key, m)));
  }
  if (annotationsSize(annotations) > TOTAL_ANNOTATION_SIZE_LIMIT) {
    errs.push(fieldError.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  }
  return errs;
}

/** Validates one `matchExpressions` entry at `path`. */
export function validateLabelSelectorRequirement(req: LabelSelectorRequirement, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = req.values ?? [];
  if (req.operator === 'In' || req.operator === 'NotIn') {
    if (values.length === 0) {
      errs.push(fieldError.required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    }
  } else if (req.operator === 'Exists' || req.operator === 'DoesNotExist') {
    if (values.length > 0) {
      errs.push(
        fieldError.forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
      );
    }
  } else {
    errs.push(fieldError.invalid(`${path}.operator`, req.operator, 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(req.key, `${path}.key`));
  return errs;
}

/** Validates a `metav1.LabelSelector` (matchLabels and matchExpressions) at `path`. */
export function validateLabelSelector(selector: LabelSelector | undefined, path: string): FieldError[] {
  if (selector === undefined || selector === null) return [];
  const errs = validateLabels(selector.matchLabels, `${path}.matchLabels`);
  (selector.matchExpressions ?? []).forEach((req, i) => {
    errs.push(...validateLabelSelectorRequirement(req, `${path}.matchExpressions[${i}]`));
  });
  return errs;
}
