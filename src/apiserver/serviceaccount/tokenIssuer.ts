/**
 * Issues bound service-account tokens (what TokenRequest answers), as upstream's
 * pkg/serviceaccount does: `iss`, `sub`, `aud`, `exp`, `iat`, `nbf`, a `jti` that
 * becomes the user's credential id, and the `kubernetes.io` claim. A pod-bound token
 * asked for 3607 s (the kube-api-access volume's) is valid for a year but marked
 * `warnafter` at 3607 s, as upstream's `--service-account-extend-token-expiration`.
 */
import { randomUUID } from 'node:crypto';
import { BOUND_TOKEN_ISSUER, serviceAccountUsername, type KubernetesClaim, type ObjectClaim } from '../../api/serviceaccount/claims.js';
import type { TokenKeys } from '../../api/serviceaccount/tokenSigner.js';

/** Upstream's token lifetime that pods' projected volumes ask for and that gets extended. */
export const WARN_ONLY_EXPIRATION_SECONDS = 3607;
/** How long an extended token is valid (one year). */
const EXTENDED_EXPIRATION_SECONDS = 365 * 24 * 60 * 60;

/** What a token is issued for. */
export interface BoundTokenRequest {
  namespace: string;
  serviceAccount: ObjectClaim;
  audiences: readonly string[];
  expirationSeconds: number;
  pod?: ObjectClaim;
  secret?: ObjectClaim;
  node?: ObjectClaim;
  now: Date;
}

/** A signed token and when its requester should consider it expired. */
export interface IssuedToken {
  token: string;
  expirationTimestamp: Date;
}

/** Signs a bound token for `request` with `keys`. */
export async function issueBoundToken(keys: TokenKeys, request: BoundTokenRequest): Promise<IssuedToken> {
  const iat = Math.floor(request.now.getTime() / 1000);
  const extended = request.pod !== undefined && request.expirationSeconds === WARN_ONLY_EXPIRATION_SECONDS;
  const claim: KubernetesClaim = { namespace: request.namespace, serviceaccount: request.serviceAccount };
  if (request.pod !== undefined) claim.pod = request.pod;
  if (request.secret !== undefined) claim.secret = request.secret;
  if (request.node !== undefined) claim.node = request.node;
  if (extended) claim.warnafter = iat + request.expirationSeconds;
  const token = await keys.sign({
    iss: BOUND_TOKEN_ISSUER,
    sub: serviceAccountUsername(request.namespace, request.serviceAccount.name),
    aud: [...request.audiences],
    iat,
    nbf: iat,
    exp: iat + (extended ? EXTENDED_EXPIRATION_SECONDS : request.expirationSeconds),
    jti: randomUUID(),
    'kubernetes.io': claim,
  });
  return { token, expirationTimestamp: new Date((iat + request.expirationSeconds) * 1000) };
}
