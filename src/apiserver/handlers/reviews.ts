/**
 * The review APIs, answered on create and never stored: authorization.k8s.io
 * (SelfSubjectAccessReview, SelfSubjectRulesReview, SubjectAccessReview,
 * LocalSubjectAccessReview) by the authorizer in force, and authentication.k8s.io
 * (SelfSubjectReview, TokenReview) by the authenticator in force.
 */
import type { RequestAuthenticator } from '../authn/requestAuthenticator.js';
import { reviewSelfSubject, reviewToken } from '../authn/reviews.js';
import {
  reviewLocalSubjectAccess,
  reviewSelfSubjectAccess,
  reviewSelfSubjectRules,
  reviewSubjectAccess,
} from '../authz/accessReviews.js';
import type { Authorizer } from '../authz/authorizer.js';
import { decodeObject, readBody } from '../http/body.js';
import { writeObject } from '../http/respond.js';
import type { RequestBase } from './context.js';
import { requestKind, writeOptions } from './writeOptions.js';

/** Who answers reviews. */
export interface Reviewers {
  authorizer: Authorizer;
  authenticator: RequestAuthenticator;
}

/** POST /apis/authorization.k8s.io/v1/…reviews and /apis/authentication.k8s.io/v1/…reviews: 201 with the answered review. */
export async function handleReview(r: RequestBase, reviewers: Reviewers): Promise<void> {
  writeOptions(r, 'CreateOptions');
  const body = decodeObject(await readBody(r.req), r.req.headers['content-type'], requestKind(r)) as Record<string, unknown>;
  const { authorizer, authenticator } = reviewers;
  let review: unknown;
  switch (r.info.resource) {
    case 'selfsubjectaccessreviews':
      review = await reviewSelfSubjectAccess(body, r.user, authorizer);
      break;
    case 'selfsubjectrulesreviews':
      review = await reviewSelfSubjectRules(body, r.user, authorizer);
      break;
    case 'subjectaccessreviews':
      review = await reviewSubjectAccess(body, authorizer);
      break;
    case 'localsubjectaccessreviews':
      review = await reviewLocalSubjectAccess(body, r.requestInfo.namespace, authorizer);
      break;
    case 'selfsubjectreviews':
      review = reviewSelfSubject(r.user, r.now);
      break;
    default:
      review = await reviewToken(body, authenticator);
  }
  writeObject(r.res, 201, review, r.view.kind === 'object' ? r.view.format : 'json');
}
