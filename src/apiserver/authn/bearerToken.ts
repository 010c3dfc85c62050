/**
 * Bearer-token authentication: the `Authorization: Bearer <token>` header, checked by
 * a list of token authenticators (static token file, service-account JWTs, …) the
 * way upstream's union of token authenticators does.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CredentialCheck } from './user.js';

/**
 * One source of valid tokens. Returns `authenticated` for its own valid tokens,
 * `rejected` for tokens it recognises as its own but refuses (expired, revoked,
 * wrong audience), and `absent` for tokens it knows nothing about.
 * `audiences` are the audiences the caller accepts (empty: no audience check); an
 * authenticated result lists those the token is valid for (audience-agnostic
 * sources, like a static token file, return `audiences` unchanged).
 */
export interface TokenAuthenticator {
  authenticateToken(token: string, audiences: readonly string[]): Promise<CredentialCheck>;
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), if any. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (header === undefined) return undefined;
  const [scheme, token] = header.trim().split(' ', 3);
  if (scheme === undefined || scheme.toLowerCase() !== 'bearer' || token === undefined || token === '') return undefined;
  return token;
}

/** Upstream's message for a bearer token no authenticator accepts. */
export const INVALID_BEARER_TOKEN = 'invalid bearer token';

/**
 * Tries `token` against each authenticator in order; the first `authenticated` wins.
 * Otherwise the token is `rejected` with the authenticators' errors (or
 * `invalid bearer token` when none recognised it).
 */
export async function authenticateBearerToken(
  token: string,
  authenticators: readonly TokenAuthenticator[],
  audiences: readonly string[],
): Promise<CredentialCheck> {
  const errors: string[] = [];
  for (const authenticator of authenticators) {
    const check = await authenticator.authenticateToken(token, audiences);
    if (check.outcome === 'authenticated') return check;
    if (check.outcome === 'rejected') errors.push(check.error);
  }
  if (errors.length === 0) return { outcome: 'rejected', error: INVALID_BEARER_TOKEN };
  return { outcome: 'rejected', error: errors.length === 1 ? (errors[0] ?? '') : `[${errors.join(', ')}]` };
}
