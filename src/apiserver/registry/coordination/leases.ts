/**
 * Leases (coordination.k8s.io/v1): durations and transition counts must not be negative.
 */
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { nonNegativeInt } from '../apps/workload.js';
import type { Strategy } from '../strategy.js';

/** The leases strategy. */
export const leaseStrategy: Strategy = {
  validate(obj: KubeObject) {
    const spec = (obj as unknown as Lease).spec;
    const errs: FieldError[] = [...nonNegativeInt(spec?.leaseTransitions, 'spec.leaseTransitions')];
    const duration = spec?.leaseDurationSeconds;
    if (duration !== undefined && duration !== null && duration <= 0) {
      errs.push(fieldError.invalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
    }
    return errs;
  },
};
