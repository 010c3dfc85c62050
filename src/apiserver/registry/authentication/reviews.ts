/**
 * TokenReview and SelfSubjectReview (authentication.k8s.io): answered, never
 * stored. A TokenReview needs a token; a SelfSubjectReview needs nothing.
 */
import { fieldError } from '../../../api/status.js';
import type { Strategy } from '../strategy.js';

/** TokenReview: `spec.token` is required. */
export const tokenReviewStrategy: Strategy = {
  validate(obj) {
    const spec = obj.spec as { token?: string } | undefined;
    return spec?.token ? [] : [fieldError.required('spec.token')];
  },
};

/** SelfSubjectReview: no input to check. */
export const selfSubjectReviewStrategy: Strategy = {};
