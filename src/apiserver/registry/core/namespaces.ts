/**
 * Namespaces (core/v1): the `kubernetes.io/metadata.name` label, the
 * `kubernetes` finalizer on create, status Active, finalizers kept across
 * ordinary updates (they change only through `finalize`).
 */
import type { Namespace } from 'kubernetes-types/core/v1.js';
import { deepCopy, type KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { isQualifiedName } from '../../../api/validation/labels.js';
import type { Strategy } from '../strategy.js';
import { statusSubresource } from '../statusSplit.js';

const asNamespace = (obj: KubeObject): Namespace => obj as unknown as Namespace;

/** The label every namespace carries with its own name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

const split = statusSubresource({ initialStatus: () => ({ phase: 'Active' }) });

/** Validates `spec.finalizers`: qualified names, fully qualified unless `kubernetes`. */
export function validateNamespaceFinalizers(finalizers: readonly string[] | undefined): FieldError[] {
  const errs: FieldError[] = [];
  (finalizers ?? []).forEach((finalizer, i) => {
    const path = `spec.finalizers[${i}]`;
    errs.push(...isQualifiedName(finalizer).map((m) => fieldError.invalid(path, finalizer, m)));
    if (!finalizer.includes('/') && !['kubernetes', 'orphan', 'foregroundDeletion'].includes(finalizer)) {
      errs.push(fieldError.invalid(path, finalizer, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

/** The namespaces strategy. */
export const namespaceStrategy: Strategy = {
  ...split,
  nameValidation: 'dns1123Label',
  applyDefaults(obj) {
    const name = obj.metadata.name;
    if (name) obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [NAMESPACE_NAME_LABEL]: name };
    const status = obj.status as { phase?: string } | undefined;
    if (status && !status.phase) status.phase = 'Active';
  },
  prepareForCreate(obj) {
    split.prepareForCreate(obj);
    const spec = ((obj as Record<string, unknown>).spec ??= {}) as { finalizers?: string[] };
    const finalizers = spec.finalizers ?? [];
    if (!finalizers.includes('kubernetes')) spec.finalizers = [...finalizers, 'kubernetes'];
  },
  prepareForUpdate(obj, old) {
    split.prepareForUpdate(obj, old);
    const prevSpec = asNamespace(old).spec;
    if (prevSpec === undefined) delete obj.spec;
    else obj.spec = deepCopy(prevSpec);
  },
  validate(obj) {
    return validateNamespaceFinalizers(asNamespace(obj).spec?.finalizers);
  },
  awaitsFinalization(obj) {
    return (asNamespace(obj).spec?.finalizers ?? []).length > 0;
  },
  prepareForDeletion(obj) {
    (obj as Record<string, unknown>).status = { ...asNamespace(obj).status, phase: 'Terminating' };
  },
  selectableFields: {
    'status.phase': (obj) => asNamespace(obj).status?.phase ?? '',
  },
};
