/**
 * What the replicated workloads (Deployment, ReplicaSet, StatefulSet, DaemonSet,
 * ReplicationController) share: selector and template validation, int-or-percent
 * checks, and the immutable-selector rule. Paths start at `spec`.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { goLabelSelector, goStringMap, invalidRendered } from '../../../api/validation/goValue.js';
import { isValidPercent } from '../../../api/validation/identifiers.js';
import { validateAnnotations, validateLabelSelector, validateLabels } from '../../../api/validation/labels.js';
import { FIELD_IMMUTABLE_ERROR_MSG, IS_NEGATIVE_ERROR_MSG } from '../../../api/validation/messages.js';
import { validatePodSpec } from '../core/podValidation.js';
import { isEmptySelector, selectorMatches } from '../labelSelector.js';
import { semanticEqual } from '../semantic.js';

/** Validates a selector that must be present and non-empty (`empty selector is invalid for <kind>`). */
export function validateRequiredSelector(selector: LabelSelector | undefined, path: string, kind: string): FieldError[] {
  if (!selector) return [fieldError.required(path)];
  const errs = validateLabelSelector(selector, path);
  if (isEmptySelector(selector)) {
    errs.push(invalidRendered(path, goLabelSelector(selector), `empty selector is invalid for ${kind}`));
  }
  return errs;
}

/**
 * Validates a replicated pod template at `path`: present, labels matching the
 * selector, restartPolicy Always, no activeDeadlineSeconds, and a valid pod spec.
 */
export function validateReplicatedTemplate(
  template: PodTemplateSpec | undefined,
  selector: LabelSelector | undefined,
  path: string,
): FieldError[] {
  const tpl: PodTemplateSpec = template ?? {};
  const labels = tpl.metadata?.labels;
  const errs: FieldError[] = [];
  if (selector && !isEmptySelector(selector) && !selectorMatches(selector, labels)) {
    errs.push(invalidRendered(`${path}.metadata.labels`, goStringMap(labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validateLabels(labels, `${path}.metadata.labels`));
  errs.push(...validateAnnotations(tpl.metadata?.annotations, `${path}.metadata.annotations`));
  errs.push(...validatePodSpec(tpl.spec ?? { containers: [] }, `${path}.spec`, { isPod: false }));
  const restartPolicy = tpl.spec?.restartPolicy;
  if (restartPolicy && restartPolicy !== 'Always') {
    errs.push(fieldError.notSupported(`${path}.spec.restartPolicy`, restartPolicy, ['Always']));
  }
  const deadline = tpl.spec?.activeDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) {
    errs.push(fieldError.forbidden(`${path}.spec.activeDeadlineSeconds`, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

/** Invalid when a number is negative. */
export function nonNegativeInt(value: number | undefined, path: string): FieldError[] {
  return value !== undefined && value !== null && value < 0 ? [fieldError.invalid(path, value, IS_NEGATIVE_ERROR_MSG)] : [];
}

/** Validates an int-or-percent (`25%` or a non-negative integer). */
export function validatePositiveIntOrPercent(value: number | string | undefined, path: string): FieldError[] {
  if (typeof value === 'string') return isValidPercent(value).map((m) => fieldError.invalid(path, value, m));
  return nonNegativeInt(value, path);
}

/** The value of an int-or-percent relative to 100 (percent) or as-is (int); undefined when invalid. */
export function intOrPercentValue(value: number | string | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^[0-9]+%$/.test(value)) return Number(value.slice(0, -1));
  return undefined;
}

/** Invalid `must not be greater than 100%` for a percentage over 100. */
export function notMoreThan100Percent(value: number | string | undefined, path: string): FieldError[] {
  if (typeof value !== 'string') return [];
  const percent = intOrPercentValue(value);
  return percent !== undefined && percent > 100 ? [fieldError.invalid(path, value, 'must not be greater than 100%')] : [];
}

/** `spec.selector: Invalid value: v1.LabelSelector{…}: field is immutable` when the selector changed. */
export function validateSelectorImmutable(next: LabelSelector | undefined, prev: LabelSelector | undefined, path: string): FieldError[] {
  return semanticEqual(next, prev) ? [] : [invalidRendered(path, goLabelSelector(next), FIELD_IMMUTABLE_ERROR_MSG)];
}
