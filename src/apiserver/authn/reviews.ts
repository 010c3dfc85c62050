/**
 * The authentication.k8s.io review APIs: SelfSubjectReview (who am I, as
 * `kubectl auth whoami` asks) and TokenReview (who does this bearer token stand
 * for), shaped as upstream's registries answer them.
 */
import type { SelfSubjectReview, TokenReview, TokenReviewStatus, UserInfo as ApiUserInfo } from 'kubernetes-types/authentication/v1.js';
import { isPlainObject } from '../../api/object.js';
import { badRequest, internalError } from '../../api/status.js';
import type { RequestAuthenticator } from './requestAuthenticator.js';
import type { UserInfo } from './user.js';

const API_VERSION = 'authentication.k8s.io/v1';

/** The wire form of a user: empty uid and extra are left out, as upstream's JSON omits them. */
function apiUserInfo(user: UserInfo): ApiUserInfo {
  const info: ApiUserInfo = { username: user.username, groups: [...user.groups] };
  if (user.uid !== undefined && user.uid !== '') info.uid = user.uid;
  if (user.extra !== undefined && Object.keys(user.extra).length > 0) info.extra = structuredClone(user.extra);
  return info;
}

/** Upstream's RFC 3339 timestamps have whole seconds. */
const timestamp = (at: Date): string => `${at.toISOString().slice(0, 19)}Z`;

/** SelfSubjectReview: the requesting user's attributes, stamped with `now` as creation time. */
export function reviewSelfSubject(user: UserInfo, now: Date = new Date()): SelfSubjectReview {
  return {
    apiVersion: API_VERSION,
    kind: 'SelfSubjectReview',
    metadata: { creationTimestamp: timestamp(now) },
    status: { userInfo: apiUserInfo(user) },
  };
}

/**
 * TokenReview: authenticates `spec.token` for `spec.audiences` (default: the
 * server's API audiences) and returns the review with `status` filled: authenticated
 * user and audiences, or the error. 400 without a token; 500 when an authenticator
 * vouches for a token without any of the requested audiences.
 */
export async function reviewToken(body: Record<string, unknown>, authenticator: RequestAuthenticator): Promise<TokenReview> {
  const spec = isPlainObject(body.spec) ? body.spec : {};
  const token = typeof spec.token === 'string' ? spec.token : '';
  if (token === '') throw badRequest('token is required for TokenReview in authentication');
  const requested = Array.isArray(spec.audiences) ? spec.audiences.filter((a): a is string => typeof a === 'string') : [];
  const audiences = requested.length > 0 ? requested : authenticator.apiAudiences;
  const check = await authenticator.reviewToken(token, audiences);
  const status: TokenReviewStatus = { user: {} };
  if (check.outcome === 'rejected') status.error = check.error;
  if (check.outcome === 'authenticated') {
    const granted = check.audiences ?? [];
    if (audiences.length > 0 && !granted.some((a) => audiences.includes(a))) {
      throw internalError(new Error('error validating audiences'));
    }
    status.authenticated = true;
    status.user = apiUserInfo(check.user);
    if (granted.length > 0) status.audiences = [...granted];
  }
  return {
    ...body,
    apiVersion: API_VERSION,
    kind: 'TokenReview',
    metadata: isPlainObject(body.metadata) ? body.metadata : {},
    spec,
    status,
  } as TokenReview;
}
