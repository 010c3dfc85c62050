/**
 * ControllerRevisions (apps/v1): revision must be non-negative; data is
 * immutable once written.
 */
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { validateImmutableField } from '../objectMeta.js';
import type { Strategy } from '../strategy.js';
import { nonNegativeInt } from './workload.js';

const asRevision = (obj: KubeObject): ControllerRevision => obj as unknown as ControllerRevision;

/** The controllerrevisions strategy. */
export const controllerRevisionStrategy: Strategy = {
  validate(obj) {
    return nonNegativeInt(asRevision(obj).revision, 'revision');
  },
  validateUpdate(obj, old) {
    return validateImmutableField(asRevision(obj).data, asRevision(old).data, 'data');
  },
};
