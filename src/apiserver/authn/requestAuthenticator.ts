/**
 * Request authentication as the API server does it: client certificate first, then
 * bearer token; the first credential that proves a user wins, any rejected credential
 * without a winner fails the request (401), and a request with no credentials at all
 * is the anonymous user. Authenticated users get `system:authenticated`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { authenticateBearerToken, bearerToken, type TokenAuthenticator } from './bearerToken.js';
import { authenticateClientCertificate } from './clientCertificate.js';
import { anonymousUser, withAuthenticatedGroup, type CredentialCheck, type UserInfo } from './user.js';

/** The parts of an HTTP request authentication looks at. */
export interface AuthenticationRequest {
  socket: Socket;
  headers: IncomingHttpHeaders;
}

/** Configuration of the API server's authenticators. */
export interface RequestAuthenticatorOptions {
  /** Sources of bearer tokens, tried in order; none means every bearer token is rejected. */
  tokenAuthenticators?: readonly TokenAuthenticator[];
  /** The audiences tokens must be meant for when presented to this server (`--api-audiences`). */
  apiAudiences?: readonly string[];
  /** Whether requests without credentials become `system:anonymous` (default true). */
  anonymous?: boolean;
}

/** Authenticates API requests and tokens under review. */
export interface RequestAuthenticator {
  /**
   * The user behind a request, or undefined when it must be refused with 401
   * (invalid credentials, or no credentials while anonymous access is off). Requests
   * without credentials give the anonymous user; which paths anonymous users may
   * reach is for the caller to enforce (see `anonymousMayReach`).
   */
  authenticate(request: AuthenticationRequest): Promise<UserInfo | undefined>;
  /** The audiences tokens presented to this server must be meant for. */
  readonly apiAudiences: readonly string[];
  /**
   * Judges a bearer token as a TokenReview does, for the given audiences. An
   * authenticated user has `system:authenticated`.
   */
  reviewToken(token: string, audiences: readonly string[]): Promise<CredentialCheck>;
}

/** Builds the API server's request authenticator. */
export function createRequestAuthenticator(options: RequestAuthenticatorOptions = {}): RequestAuthenticator {
  const tokenAuthenticators = options.tokenAuthenticators ?? [];
  const apiAudiences = options.apiAudiences ?? [];
  const anonymous = options.anonymous ?? true;

  async function checkToken(token: string, audiences: readonly string[]): Promise<CredentialCheck> {
    const check = await authenticateBearerToken(token, tokenAuthenticators, audiences);
    return check.outcome === 'authenticated' ? { ...check, user: withAuthenticatedGroup(check.user) } : check;
  }

  return {
    apiAudiences,
    async authenticate(request) {
      let rejected = false;
      const certificate = authenticateClientCertificate(request.socket);
      if (certificate.outcome === 'authenticated') return withAuthenticatedGroup(certificate.user);
      if (certificate.outcome === 'rejected') rejected = true;
      const token = bearerToken(request.headers);
      if (token !== undefined) {
        const check = await checkToken(token, apiAudiences);
        if (check.outcome === 'authenticated') return check.user;
        rejected = true;
      }
      if (rejected || !anonymous) return undefined;
      return anonymousUser();
    },
    async reviewToken(token, audiences) {
      return checkToken(token, audiences);
    },
  };
}

const ANONYMOUS_PATHS = ['/healthz', '/livez', '/readyz', '/version'];

/**
 * True for the paths anonymous requests may reach without a 401: /healthz, /livez,
 * /readyz, /version and paths below them. (Authorization still decides; upstream's
 * public-info policy allows exactly these four and `/version/`.)
 */
export function anonymousMayReach(path: string): boolean {
  return ANONYMOUS_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}
