/**
 * The claims of service-account JWTs, as upstream's pkg/serviceaccount writes them:
 * bound tokens (TokenRequest) carry a private `kubernetes.io` claim naming the
 * namespace, service account and the object the token is bound to; legacy Secret
 * tokens carry the flat `kubernetes.io/serviceaccount/*` claims.
 */

/** The issuer of bound tokens (upstream's default `--service-account-issuer` for kubeadm clusters). */
export const BOUND_TOKEN_ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** The issuer of legacy Secret tokens. */
export const LEGACY_TOKEN_ISSUER = 'kubernetes/serviceaccount';

/** A name and uid pair inside the `kubernetes.io` claim. */
export interface ObjectClaim {
  name: string;
  uid: string;
}

/** The private `kubernetes.io` claim of a bound token. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectClaim;
  pod?: ObjectClaim;
  secret?: ObjectClaim;
  node?: ObjectClaim;
  /** When a pod's extended token should have been refreshed (seconds since the epoch). */
  warnafter?: number;
}

/** The claims of a legacy `kubernetes.io/service-account-token` Secret token. */
export interface LegacyClaims {
  iss: string;
  sub: string;
  'kubernetes.io/serviceaccount/namespace': string;
  'kubernetes.io/serviceaccount/secret.name': string;
  'kubernetes.io/serviceaccount/service-account.name': string;
  'kubernetes.io/serviceaccount/service-account.uid': string;
}

/** The `system:serviceaccount:<ns>:<name>` user name of a service account. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The groups of every service account of `namespace` (before `system:authenticated`). */
export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`];
}

/** The `[namespace, name]` of a service-account user name, or undefined for other users. */
export function parseServiceAccountUsername(username: string): [string, string] | undefined {
  const parts = username.split(':');
  if (parts.length !== 4 || parts[0] !== 'system' || parts[1] !== 'serviceaccount' || !parts[2] || !parts[3]) return undefined;
  return [parts[2], parts[3]];
}

/** The claims of a legacy token for the Secret `secretName` of the account `account`. */
export function legacyClaims(namespace: string, secretName: string, account: { name: string; uid: string }): LegacyClaims {
  return {
    iss: LEGACY_TOKEN_ISSUER,
    sub: serviceAccountUsername(namespace, account.name),
    'kubernetes.io/serviceaccount/namespace': namespace,
    'kubernetes.io/serviceaccount/secret.name': secretName,
    'kubernetes.io/serviceaccount/service-account.name': account.name,
    'kubernetes.io/serviceaccount/service-account.uid': account.uid,
  };
}
