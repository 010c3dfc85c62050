/**
 * The authorization contract: an Authorizer decides whether a user may perform one
 * request (allow, deny, or no opinion, with a reason) and lists the rules a user has
 * in a namespace (for SelfSubjectRulesReview). Authorizers compose with
 * `unionAuthorizer`, as upstream chains its authorization modes.
 */
import type { UserInfo } from '../authn/user.js';

/** What authorization looks at for one request (upstream `authorizer.Attributes`). */
export interface AuthorizationAttributes {
  user: UserInfo;
  /** Resource verbs (get, list, watch, create, update, patch, delete, deletecollection, …) or an HTTP verb in lower case for paths. */
  verb: string;
  /** True for requests on API resources, false for other paths (/healthz, /version, /api, …). */
  resourceRequest: boolean;
  /** API group ('' for core); resource requests only. */
  group: string;
  /** API version; resource requests only, '' when unknown. */
  version?: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** The request path; what non-resource rules match. */
  path: string;
}

/** An authorizer's answer. `noOpinion` from every authorizer means the request is forbidden. */
export type Decision = 'allow' | 'deny' | 'noOpinion';

/** A decision with the human reason for it ('' when there is nothing to say). */
export interface AuthorizationResult {
  decision: Decision;
  reason: string;
  /** Set when the authorizer could not fully evaluate its policy. */
  evaluationError?: string;
}

/** A rule over API resources, as SelfSubjectRulesReview reports it. */
export interface ResourceRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
}

/** A rule over non-resource paths (`*` suffix matches a prefix). */
export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs: string[];
}

/** The rules a user has in one namespace. */
export interface UserRules {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  /** True when the list may be missing rules (e.g. a webhook authorizer was involved). */
  incomplete: boolean;
  evaluationError?: string;
}

/** Decides requests and lists rules. */
export interface Authorizer {
  authorize(attributes: AuthorizationAttributes): Promise<AuthorizationResult>;
  rulesFor(user: UserInfo, namespace: string): Promise<UserRules>;
}

/** Joins errors the way upstream's aggregate error prints them: one alone, several in brackets. */
function aggregate(errors: readonly string[]): string | undefined {
  if (errors.length === 0) return undefined;
  return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
}

/**
 * Chains authorizers: the first `allow` or `deny` decides; when all have no opinion
 * the result is `noOpinion` with their non-empty reasons joined by newlines. Rules
 * are the concatenation of every authorizer's rules.
 */
export function unionAuthorizer(authorizers: readonly Authorizer[]): Authorizer {
  return {
    async authorize(attributes) {
      const reasons: string[] = [];
      const errors: string[] = [];
      for (const authorizer of authorizers) {
        const result = await authorizer.authorize(attributes);
        if (result.decision !== 'noOpinion') return result;
        if (result.reason !== '') reasons.push(result.reason);
        if (result.evaluationError !== undefined) errors.push(result.evaluationError);
      }
      const evaluationError = aggregate(errors);
      const result: AuthorizationResult = { decision: 'noOpinion', reason: reasons.join('\n') };
      if (evaluationError !== undefined) result.evaluationError = evaluationError;
      return result;
    },
    async rulesFor(user, namespace) {
      const all: UserRules = { resourceRules: [], nonResourceRules: [], incomplete: false };
      const errors: string[] = [];
      for (const authorizer of authorizers) {
        const rules = await authorizer.rulesFor(user, namespace);
        all.resourceRules.push(...rules.resourceRules);
        all.nonResourceRules.push(...rules.nonResourceRules);
        all.incomplete ||= rules.incomplete;
        if (rules.evaluationError !== undefined) errors.push(rules.evaluationError);
      }
      const evaluationError = aggregate(errors);
      if (evaluationError !== undefined) all.evaluationError = evaluationError;
      return all;
    },
  };
}
