/**
 * StorageClasses (storage.k8s.io/v1): reclaimPolicy Delete and
 * volumeBindingMode Immediate by default; provisioner required; parameters,
 * provisioner, reclaimPolicy and volumeBindingMode immutable.
 */
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { isQualifiedName } from '../../../api/validation/labels.js';
import { each, oneOf } from '../core/podValidation.js';
import { validateImmutableField } from '../objectMeta.js';
import type { Strategy } from '../strategy.js';

const asClass = (obj: KubeObject): StorageClass => obj as unknown as StorageClass;

/** The storageclasses strategy. */
export const storageClassStrategy: Strategy = {
  applyDefaults(obj) {
    const sc = asClass(obj) as { reclaimPolicy?: string; volumeBindingMode?: string };
    sc.reclaimPolicy ||= 'Delete';
    sc.volumeBindingMode ||= 'Immediate';
  },
  validate(obj) {
    const sc = asClass(obj);
    const errs: FieldError[] = [];
    if (!sc.provisioner) errs.push(fieldError.required('provisioner'));
    else errs.push(...each('provisioner', sc.provisioner, isQualifiedName(sc.provisioner.toLowerCase())));
    errs.push(...oneOf(sc.reclaimPolicy, ['Delete', 'Retain'], 'reclaimPolicy'));
    errs.push(...oneOf(sc.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer'], 'volumeBindingMode'));
    return errs;
  },
  validateUpdate(obj, old) {
    const next = asClass(obj);
    const prev = asClass(old);
    const errs: FieldError[] = [];
    if (JSON.stringify(next.parameters ?? {}) !== JSON.stringify(prev.parameters ?? {})) {
      errs.push(fieldError.forbidden('parameters', 'updates to parameters are forbidden.'));
    }
    if (next.provisioner !== prev.provisioner) {
      errs.push(fieldError.forbidden('provisioner', 'updates to provisioner are forbidden.'));
    }
    if (next.reclaimPolicy !== prev.reclaimPolicy) {
      errs.push(fieldError.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    }
    errs.push(...validateImmutableField(next.volumeBindingMode, prev.volumeBindingMode, 'volumeBindingMode'));
    return errs;
  },
};
