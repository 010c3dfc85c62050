/**
 * The access and token reviews (authorization.k8s.io, authentication.k8s.io)
 * are answered, never stored: their strategies only check the request's spec
 * the way upstream's review validation does.
 */
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import type { Strategy } from '../strategy.js';

interface AccessReviewSpec {
  resourceAttributes?: unknown;
  nonResourceAttributes?: unknown;
  user?: string;
  groups?: string[];
  uid?: string;
}

function validateAttributes(spec: AccessReviewSpec): FieldError[] {
  const both = spec.resourceAttributes !== undefined && spec.nonResourceAttributes !== undefined;
  const neither = spec.resourceAttributes === undefined && spec.nonResourceAttributes === undefined;
  if (both) return [fieldError.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes')];
  if (neither) return [fieldError.invalid('spec.resourceAttributes', 'null', 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
  return [];
}

const specOf = (obj: KubeObject): AccessReviewSpec | undefined => obj.spec as AccessReviewSpec | undefined;

/** SelfSubjectAccessReview: exactly one of resource or non-resource attributes. */
export const selfSubjectAccessReviewStrategy: Strategy = {
  validate: (obj) => validateAttributes(specOf(obj) ?? {}),
};

/** SubjectAccessReview and LocalSubjectAccessReview: attributes plus a user or groups. */
export const subjectAccessReviewStrategy: Strategy = {
  validate(obj) {
    const spec = specOf(obj) ?? {};
    const errs = validateAttributes(spec);
    if (!spec.user && (spec.groups ?? []).length === 0 && !spec.uid) {
      errs.push(fieldError.invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
    }
    return errs;
  },
};

/** SelfSubjectRulesReview: nothing to check beyond a spec (namespace may be empty). */
export const selfSubjectRulesReviewStrategy: Strategy = {};
