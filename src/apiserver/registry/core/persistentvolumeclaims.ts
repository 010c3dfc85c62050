/**
 * PersistentVolumeClaims (core/v1): volumeMode Filesystem, status phase Pending;
 * access modes and a storage request required; the spec is immutable after
 * creation except for growing the storage request and binding volumeName once.
 */
import type { PersistentVolumeClaim, PersistentVolumeClaimSpec } from 'kubernetes-types/core/v1.js';
import { deepCopy, type KubeObject } from '../../../api/object.js';
import { tryParseQuantity } from '../../../api/quantity.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { validateLabelSelector } from '../../../api/validation/labels.js';
import { isDNS1123Subdomain } from '../../../api/validation/names.js';
import { semanticEqual } from '../semantic.js';
import type { Strategy } from '../strategy.js';
import { statusSubresource } from '../statusSplit.js';
import { validateAccessModes } from './persistentvolumes.js';
import { each, oneOf } from './podValidation.js';
import { defaultResourceList, validateResourceList, type ResourceList } from '../../../api/resourceLists.js';

const asPVC = (obj: KubeObject): PersistentVolumeClaim => obj as unknown as PersistentVolumeClaim;

/** Validates a claim spec at `path` (also used for StatefulSet volumeClaimTemplates). */
export function validateClaimSpec(spec: PersistentVolumeClaimSpec | undefined, path: string): FieldError[] {
  if (!spec) return [fieldError.required(path)];
  const errs = validateAccessModes(spec.accessModes, `${path}.accessModes`, 'at least 1 access mode is required');
  if (spec.selector) errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  const requests = (spec.resources?.requests ?? {}) as ResourceList;
  if (!('storage' in requests)) errs.push(fieldError.required(`${path}.resources[storage]`));
  errs.push(...validateResourceList(requests, `${path}.resources.requests`));
  if (spec.storageClassName) errs.push(...each(`${path}.storageClassName`, spec.storageClassName, isDNS1123Subdomain(spec.storageClassName)));
  errs.push(...oneOf(spec.volumeMode, ['Block', 'Filesystem'], `${path}.volumeMode`, false));
  return errs;
}

function validateClaimUpdate(next: PersistentVolumeClaimSpec, prev: PersistentVolumeClaimSpec): FieldError[] {
  const munged = deepCopy(next);
  if (!prev.volumeName) munged.volumeName = prev.volumeName;
  const newSize = tryParseQuantity(String(next.resources?.requests?.storage ?? ''));
  const oldSize = tryParseQuantity(String(prev.resources?.requests?.storage ?? ''));
  const errs: FieldError[] = [];
  if (newSize && oldSize && newSize.cmp(oldSize) !== 0) {
    if (newSize.cmp(oldSize) < 0) {
      errs.push(fieldError.forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
    }
    munged.resources = { ...munged.resources, requests: { ...munged.resources?.requests, storage: prev.resources?.requests?.storage ?? '' } };
  }
  if (!semanticEqual(munged, prev)) {
    errs.push(fieldError.forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  return errs;
}

/** The persistentvolumeclaims strategy. */
export const persistentVolumeClaimStrategy: Strategy = {
  ...statusSubresource({ initialStatus: () => ({ phase: 'Pending' }) }),
  applyDefaults(obj) {
    const pvc = asPVC(obj);
    if (pvc.spec) {
      pvc.spec.volumeMode ||= 'Filesystem';
      defaultResourceList(pvc.spec.resources?.requests as ResourceList | undefined);
      defaultResourceList(pvc.spec.resources?.limits as ResourceList | undefined);
    }
    if (pvc.status && !pvc.status.phase) pvc.status.phase = 'Pending';
  },
  validate(obj) {
    return validateClaimSpec(asPVC(obj).spec, 'spec');
  },
  validateUpdate(obj, old) {
    const next = asPVC(obj).spec;
    const prev = asPVC(old).spec;
    return next && prev ? validateClaimUpdate(next, prev) : [];
  },
};
