/**
 * A resource strategy says only how one resource differs from the generic store:
 * its defaults, its validation, what create and update may change, how spec and
 * status split, and whether it tracks `metadata.generation`. The generic handlers
 * (create/update/patch/delete) call these hooks in a fixed order:
 *
 *   create: applyDefaults → prepareForCreate → (generic meta fill-in) → validate
 *   update: applyDefaults → prepareForUpdate(new, old) → validate → validateUpdate(new, old)
 *   status: prepareForStatusUpdate(new, old) → validateStatusUpdate(new, old)
 *
 * Generic ObjectMeta validation (name, namespace, labels, annotations, ownerReferences,
 * finalizers) is done once by the handlers; strategies validate their own fields.
 * Every hook is synchronous and pure apart from mutating the object it is given.
 */
import type { FieldError } from '../../api/status.js';
import type { KubeObject } from '../../api/object.js';

/** How names of this resource are validated. */
export type NameValidation = 'dns1123Subdomain' | 'dns1123Label' | 'path-segment';

/** The per-resource hooks. Every member is optional except where noted. */
export interface Strategy {
  /** How `metadata.name` is validated (default `dns1123Subdomain`). */
  nameValidation?: NameValidation;
  /** True if `metadata.generation` is set to 1 on create and bumped on spec changes. */
  tracksGeneration?: boolean;
  /** True if the resource has a status subresource: the main endpoint ignores status writes. */
  hasStatus?: boolean;
  /** Fills in upstream defaults (e.g. pod restartPolicy Always). Runs on create and update. */
  applyDefaults?(obj: KubeObject): void;
  /** Clears what a create may not set (e.g. status when `hasStatus`). */
  prepareForCreate?(obj: KubeObject): void;
  /** Restores what an update of the main resource may not change (e.g. status). */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Type-specific validation of a whole object; field paths are relative to the object root. */
  validate?(obj: KubeObject): FieldError[];
  /** Update-only rules: immutable fields, allowed transitions. */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** For the status subresource: keep everything but status from `old`. */
  prepareForStatusUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Validation of a status update. */
  validateStatusUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** True while deletion must wait for the resource's own finalization (namespaces: `spec.finalizers`). */
  awaitsFinalization?(obj: KubeObject): boolean;
  /** Marks an object whose deletion has started (namespaces: `status.phase` Terminating). */
  prepareForDeletion?(obj: KubeObject): void;
  /**
   * Field-selector fields beyond metadata.name/metadata.namespace that this resource
   * supports (e.g. pods: spec.nodeName), each mapped to its value in an object.
   */
  selectableFields?: Readonly<Record<string, (obj: KubeObject) => string | undefined>>;
}
