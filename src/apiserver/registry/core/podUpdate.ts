/**
 * What an update may change in a pod's spec (upstream `ValidatePodUpdate`):
 * container and init-container images, a shrinking activeDeadlineSeconds,
 * added tolerations, removed scheduling gates, and terminationGracePeriodSeconds
 * from a negative value to 1. Anything else is `spec: Forbidden: pod updates may
 * not change fields other than …`.
 */
import type { Container, PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { deepCopy } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { describeDiff, semanticEqual } from '../semantic.js';
import { ACTIVE_DEADLINE_UPDATE_RANGE } from './podValidation.js';

const MAX_INT32 = 2147483647;

/** Upstream's text listing what a pod update may change. */
export const POD_UPDATE_FORBIDDEN_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`,' +
  '`spec.initContainers[*].image`,' +
  '`spec.activeDeadlineSeconds`,' +
  '`spec.tolerations` (only additions to existing tolerations),' +
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function validateContainerUpdates(next: readonly Container[], prev: readonly Container[], path: string): { errs: FieldError[]; stop: boolean } {
  if (next.length !== prev.length) {
    return { errs: [fieldError.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  }
  const errs: FieldError[] = [];
  next.forEach((container, i) => {
    if (!container.image) errs.push(fieldError.required(`${path}[${i}].image`));
    else if (container.image.trim() !== container.image) {
      errs.push(fieldError.invalid(`${path}[${i}].image`, container.image, 'must not have leading or trailing whitespace'));
    }
  });
  return { errs, stop: false };
}

function validateOnlyAddedTolerations(next: readonly Toleration[], prev: readonly Toleration[], path: string): FieldError[] {
  const strip = (t: Toleration): Toleration => ({ ...t, tolerationSeconds: undefined });
  for (const old of prev) {
    if (!next.some((t) => semanticEqual(strip(t), strip(old)))) {
      return [fieldError.forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
    }
  }
  return [];
}

/** Validates a pod spec update; field paths start at `spec`. */
export function validatePodSpecUpdate(next: PodSpec, prev: PodSpec): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['containers', 'initContainers'] as const) {
    const result = validateContainerUpdates(next[key] ?? [], prev[key] ?? [], `spec.${key}`);
    errs.push(...result.errs);
    if (result.stop) return errs;
  }
  const newDeadline = next.activeDeadlineSeconds;
  const oldDeadline = prev.activeDeadlineSeconds;
  if (newDeadline !== undefined && newDeadline !== null) {
    if (newDeadline < 0 || newDeadline > MAX_INT32) {
      return [...errs, fieldError.invalid('spec.activeDeadlineSeconds', newDeadline, ACTIVE_DEADLINE_UPDATE_RANGE)];
    }
    if (oldDeadline !== undefined && oldDeadline !== null && oldDeadline < newDeadline) {
      return [...errs, fieldError.invalid('spec.activeDeadlineSeconds', newDeadline, 'must be less than or equal to previous value')];
    }
  } else if (oldDeadline !== undefined && oldDeadline !== null) {
    errs.push(fieldError.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }

  const munged = deepCopy(next);
  for (const key of ['containers', 'initContainers'] as const) {
    (munged[key] ?? []).forEach((container, i) => {
      container.image = prev[key]?.[i]?.image ?? container.image;
    });
  }
  munged.activeDeadlineSeconds = prev.activeDeadlineSeconds;
  const oldGrace = prev.terminationGracePeriodSeconds;
  if (oldGrace !== undefined && oldGrace !== null && oldGrace < 0 && next.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldGrace;
  }
  errs.push(...validateOnlyAddedTolerations(next.tolerations ?? [], prev.tolerations ?? [], 'spec.tolerations'));
  munged.tolerations = prev.tolerations;
  const oldGates = new Set((prev.schedulingGates ?? []).map((g) => g.name));
  const addedGate = (next.schedulingGates ?? []).find((g) => !oldGates.has(g.name));
  if (addedGate) {
    errs.push(fieldError.forbidden('spec.schedulingGates', `only deletion is allowed, but found new scheduling gate '${addedGate.name}'`));
  }
  munged.schedulingGates = prev.schedulingGates;
  if (!semanticEqual(munged, prev)) {
    const diff = describeDiff(prev, munged, 'spec').join('\n');
    errs.push(fieldError.forbidden('spec', `${POD_UPDATE_FORBIDDEN_MESSAGE}\n${diff}`));
  }
  return errs;
}
