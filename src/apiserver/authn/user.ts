/**
 * Who a request comes from, as authentication establishes it: the upstream
 * `user.Info` (name, uid, groups, extra) and the well-known system names.
 */

/** An authenticated (or anonymous) user. */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** The user of requests that carry no credentials. */
export const ANONYMOUS_USERNAME = 'system:anonymous';
/** The group of requests that carry no credentials. */
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
/** The group every authenticated user is in. */
export const AUTHENTICATED_GROUP = 'system:authenticated';
/** The group whose members may do everything, whatever the authorization policy says. */
export const MASTERS_GROUP = 'system:masters';
/** The `extra` key naming the credential a user presented (`X509SHA256=<hex>` for certificates). */
export const CREDENTIAL_ID_KEY = 'authentication.kubernetes.io/credential-id';

/** A fresh anonymous user: `system:anonymous` in `system:unauthenticated`. */
export function anonymousUser(): UserInfo {
  return { username: ANONYMOUS_USERNAME, groups: [UNAUTHENTICATED_GROUP] };
}

/** True for the anonymous user. */
export function isAnonymous(user: UserInfo): boolean {
  return user.username === ANONYMOUS_USERNAME;
}

/**
 * The user with `system:authenticated` appended to its groups, as upstream's
 * authenticated-group adder does (not for the anonymous user, not twice).
 */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (isAnonymous(user) || user.groups.includes(AUTHENTICATED_GROUP) || user.groups.includes(UNAUTHENTICATED_GROUP)) {
    return user;
  }
  return { ...user, groups: [...user.groups, AUTHENTICATED_GROUP] };
}

/** How one authenticator judged one kind of credential on a request. */
export type CredentialCheck =
  /** The request carries no credential of this kind. */
  | { outcome: 'absent' }
  /** The credential proves this user (for tokens, valid for these audiences). */
  | { outcome: 'authenticated'; user: UserInfo; audiences?: string[] }
  /** The credential is present but invalid; `error` says why (upstream's error text). */
  | { outcome: 'rejected'; error: string };
