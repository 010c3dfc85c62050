/**
 * Generic ObjectMeta validation, run by the handlers for every resource on create
 * and update (upstream `ValidateObjectMetaAccessor` / `ValidateObjectMetaAccessorUpdate`).
 * Field paths start at `metadata`.
 */
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import { fieldError, type FieldError } from '../../api/status.js';
import { validateAnnotations, validateLabels, isQualifiedName } from '../../api/validation/labels.js';
import { FIELD_IMMUTABLE_ERROR_MSG, IS_NEGATIVE_ERROR_MSG } from '../../api/validation/messages.js';
import {
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  nameIsPathSegment,
  type NameValidator,
} from '../../api/validation/names.js';
import { parseApiVersion } from '../../api/resources.js';
import { semanticEqual } from './semantic.js';
import type { NameValidation } from './strategy.js';

/** What `validateObjectMeta` needs to know about the resource. */
export interface ObjectMetaOptions {
  /** True for namespaced resources: namespace required; false: namespace forbidden. */
  namespaced: boolean;
  /** The resource's name rule (default `dns1123Subdomain`). */
  nameValidation?: NameValidation;
}

const NAME_VALIDATORS: Readonly<Record<NameValidation, NameValidator>> = {
  dns1123Subdomain: nameIsDNSSubdomain,
  dns1123Label: nameIsDNSLabel,
  'path-segment': nameIsPathSegment,
};

/** The name rule for a strategy's `nameValidation` setting. */
export function nameValidatorFor(nameValidation: NameValidation | undefined): NameValidator {
  return NAME_VALIDATORS[nameValidation ?? 'dns1123Subdomain'];
}

/**
 * Validates `obj.metadata` for a create: generateName and name format, namespace
 * presence per scope, generation, labels, annotations, ownerReferences,
 * finalizers and managedFields.
 */
export function validateObjectMeta(obj: KubeObject, options: ObjectMetaOptions): FieldError[] {
  const meta = obj.metadata;
  const nameFn = nameValidatorFor(options.nameValidation);
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const msg of nameFn(meta.generateName, true)) {
      errs.push(fieldError.invalid('metadata.generateName', meta.generateName, msg));
    }
  }
  if (!meta.name) {
    errs.push(fieldError.required('metadata.name', 'name or generateName is required'));
  } else {
    for (const msg of nameFn(meta.name, false)) errs.push(fieldError.invalid('metadata.name', meta.name, msg));
  }
  if (options.namespaced) {
    if (!meta.namespace) errs.push(fieldError.required('metadata.namespace'));
    else {
      for (const msg of nameIsDNSLabel(meta.namespace, false)) {
        errs.push(fieldError.invalid('metadata.namespace', meta.namespace, msg));
      }
    }
  } else if (meta.namespace) {
    errs.push(fieldError.forbidden('metadata.namespace', 'not allowed on this type'));
  }
  if (meta.generation !== undefined && meta.generation < 0) {
    errs.push(fieldError.invalid('metadata.generation', meta.generation, IS_NEGATIVE_ERROR_MSG));
  }
  errs.push(...validateMetaCommon(meta));
  return errs;
}

function validateMetaCommon(meta: ObjectMeta): FieldError[] {
  return [
    ...validateLabels(meta.labels, 'metadata.labels'),
    ...validateAnnotations(meta.annotations, 'metadata.annotations'),
    ...validateOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences'),
    ...validateFinalizers(meta.finalizers, 'metadata.finalizers'),
    ...validateManagedFields(meta, 'metadata.managedFields'),
  ];
}

/** Validates owner references: apiVersion/kind/name/uid present, Events banned, one controller at most. */
export function validateOwnerReferences(refs: readonly OwnerReference[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    const gv = ref.apiVersion && ref.apiVersion.split('/').length <= 2 ? parseApiVersion(ref.apiVersion) : undefined;
    if (!gv?.version) errs.push(fieldError.invalid(`${path}.apiVersion`, ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(fieldError.invalid(`${path}.kind`, ref.kind ?? '', 'must not be empty'));
    if (!ref.name) errs.push(fieldError.invalid(`${path}.name`, ref.name ?? '', 'must not be empty'));
    if (!ref.uid) errs.push(fieldError.invalid(`${path}.uid`, ref.uid ?? '', 'must not be empty'));
    if (gv?.group === '' && gv.version === 'v1' && ref.kind === 'Event') {
      errs.push(fieldError.invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller === true) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController !== '') {
        errs.push(
          fieldError.invalid(
            path,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

/**
 * Validates finalizer names: qualified names, and either domain-prefixed or one of the
 * standard names (`kubernetes`, `orphan`, `foregroundDeletion`), which `orphan` and
 * `foregroundDeletion` may not both be.
 */
export function validateFinalizers(finalizers: readonly string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const finalizer of finalizers ?? []) {
    errs.push(...isQualifiedName(finalizer).map((m) => fieldError.invalid(path, finalizer, m)));
  }
  (finalizers ?? []).forEach((finalizer, i) => {
    if (!finalizer.includes('/') && !STANDARD_FINALIZERS.includes(finalizer)) {
      errs.push(fieldError.invalid(`${path}[${i}]`, finalizer, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  if (finalizers?.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(fieldError.invalid(path, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

function validateManagedFields(meta: ObjectMeta, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (meta.managedFields ?? []).forEach((entry, i) => {
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') {
      errs.push(fieldError.invalid(`${path}[${i}].operation`, entry.operation ?? '', 'must be `Apply` or `Update`'));
    }
    if (entry.fieldsType && entry.fieldsType !== 'FieldsV1') {
      errs.push(fieldError.invalid(`${path}[${i}].fieldsType`, entry.fieldsType, 'must be `FieldsV1`'));
    }
    if (entry.manager !== undefined && entry.manager.length > 128) {
      errs.push(fieldError.tooLong(`${path}[${i}].manager`, 128));
    }
  });
  return errs;
}

/** Invalid(`path`, new, "field is immutable") when `next` and `prev` differ deeply. */
export function validateImmutableField(next: unknown, prev: unknown, path: string): FieldError[] {
  return semanticEqual(normalizeEmpty(next), normalizeEmpty(prev))
    ? []
    : [fieldError.invalid(path, next, FIELD_IMMUTABLE_ERROR_MSG)];
}

/** Treats absent, null and empty string alike, as Go's zero values compare equal. */
function normalizeEmpty(value: unknown): unknown {
  return value === null || value === '' ? undefined : value;
}

/**
 * Validates `obj.metadata` for an update against `old`: name, namespace, uid,
 * creationTimestamp, deletionTimestamp and deletionGracePeriodSeconds immutable;
 * generation never decreases; no new finalizers once deletion started; labels,
 * annotations, ownerReferences, finalizers and managedFields valid.
 */
export function validateObjectMetaUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const next = obj.metadata;
  const prev = old.metadata;
  const errs: FieldError[] = [];
  if (prev.deletionTimestamp) {
    const before = new Set(prev.finalizers ?? []);
    const added = [...new Set(next.finalizers ?? [])].filter((f) => !before.has(f)).sort();
    if (added.length > 0) {
      errs.push(
        fieldError.forbidden(
          'metadata.finalizers',
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
        ),
      );
    }
  }
  if ((next.generation ?? 0) < (prev.generation ?? 0)) {
    errs.push(fieldError.invalid('metadata.generation', next.generation ?? 0, 'must not be decremented'));
  }
  errs.push(...validateImmutableField(next.name, prev.name, 'metadata.name'));
  errs.push(...validateImmutableField(next.namespace, prev.namespace, 'metadata.namespace'));
  errs.push(...validateImmutableField(next.uid, prev.uid, 'metadata.uid'));
  errs.push(...validateImmutableField(next.creationTimestamp, prev.creationTimestamp, 'metadata.creationTimestamp'));
  errs.push(...validateImmutableField(next.deletionTimestamp, prev.deletionTimestamp, 'metadata.deletionTimestamp'));
  errs.push(
    ...validateImmutableField(
      next.deletionGracePeriodSeconds,
      prev.deletionGracePeriodSeconds,
      'metadata.deletionGracePeriodSeconds',
    ),
  );
  errs.push(...validateMetaCommon(next));
  return errs;
}
