/**
 * The authorization policy k8ts enforces today:
 * - members of `system:masters` may do everything (permanent, as upstream);
 * - everyone, anonymous included, may GET the public-info paths (what upstream's
 *   `system:public-info-viewer` role grants);
 * - RBAC (Roles, ClusterRoles and their bindings) grants what it grants;
 * - service accounts get nothing more; every other authenticated user may do
 *   everything, until RBAC enforcement covers all users and replaces
 *   `interimAuthenticatedAuthorizer`.
 */
import { AUTHENTICATED_GROUP, MASTERS_GROUP, type UserInfo } from '../authn/user.js';
import { unionAuthorizer, type Authorizer, type UserRules } from './authorizer.js';
import { rbacAuthorizer, type RbacObjects } from './rbacAuthorizer.js';

const EVERYTHING: UserRules = {
  resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
  nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
  incomplete: false,
};
const NOTHING: UserRules = { resourceRules: [], nonResourceRules: [], incomplete: false };

const copy = (rules: UserRules): UserRules => structuredClone(rules);

/** Allows every request of `system:masters` members (reason '', as upstream); no opinion otherwise. */
export const privilegedGroupAuthorizer: Authorizer = {
  async authorize({ user }) {
    return user.groups.includes(MASTERS_GROUP) ? { decision: 'allow', reason: '' } : { decision: 'noOpinion', reason: '' };
  },
  async rulesFor(user) {
    return copy(user.groups.includes(MASTERS_GROUP) ? EVERYTHING : NOTHING);
  },
};

/** The paths anyone may GET: health and version. */
export const PUBLIC_INFO_PATHS: readonly string[] = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

/** Allows anyone to `get` the public-info paths; no opinion on anything else. */
export const publicInfoAuthorizer: Authorizer = {
  async authorize({ resourceRequest, verb, path }) {
    if (!resourceRequest && verb === 'get' && PUBLIC_INFO_PATHS.includes(path)) {
      return { decision: 'allow', reason: 'k8ts: health and version endpoints are public' };
    }
    return { decision: 'noOpinion', reason: '' };
  },
  async rulesFor() {
    return { resourceRules: [], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: [...PUBLIC_INFO_PATHS] }], incomplete: false };
  },
};

const interimReason = 'k8ts: every authenticated user may do everything until RBAC is enforced';
/** The group of every service account: authorized by RBAC alone. */
const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';
const coveredByInterim = (user: UserInfo): boolean =>
  user.groups.includes(AUTHENTICATED_GROUP) && !user.groups.includes(MASTERS_GROUP) && !user.groups.includes(SERVICE_ACCOUNTS_GROUP);

/**
 * Temporary: allows every request of authenticated users outside `system:masters`
 * (those are the privileged authorizer's) and outside `system:serviceaccounts`
 * (RBAC alone decides for service accounts). To be replaced by the RBAC authorizer.
 */
export const interimAuthenticatedAuthorizer: Authorizer = {
  async authorize({ user }) {
    return coveredByInterim(user) ? { decision: 'allow', reason: interimReason } : { decision: 'noOpinion', reason: '' };
  },
  async rulesFor(user) {
    return copy(coveredByInterim(user) ? EVERYTHING : NOTHING);
  },
};

/**
 * The API server's authorizer: privileged groups, public info, RBAC over `rbac`
 * (when given), then the interim policy.
 */
export function createClusterAuthorizer(rbac?: RbacObjects): Authorizer {
  const authorizers = [privilegedGroupAuthorizer, publicInfoAuthorizer, ...(rbac !== undefined ? [rbacAuthorizer(rbac)] : []), interimAuthenticatedAuthorizer];
  return unionAuthorizer(authorizers);
}
