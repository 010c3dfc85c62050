/**
 * The TokenAuthenticator for service-account JWTs signed with the cluster's key:
 * bound tokens (issuer https://kubernetes.default.svc.cluster.local) and legacy
 * Secret tokens (issuer kubernetes/serviceaccount). A token is accepted while its
 * signature, time window and audience hold and the objects it names still exist
 * with the same uid: the service account, a bound pod (not deleted more than 60 s
 * ago) or secret, and for legacy tokens the Secret still holding that token.
 */
import type { KubeObject } from '../../api/object.js';
import type { TokenAuthenticator } from '../authn/bearerToken.js';
import { CREDENTIAL_ID_KEY, type CredentialCheck, type UserInfo } from '../authn/user.js';
import {
  BOUND_TOKEN_ISSUER,
  LEGACY_TOKEN_ISSUER,
  serviceAccountGroups,
  serviceAccountUsername,
  type KubernetesClaim,
  type LegacyClaims,
} from '../../api/serviceaccount/claims.js';
import type { TokenKeys } from '../../api/serviceaccount/tokenSigner.js';

/** How the authenticator reads the objects tokens name (undefined when absent). */
export interface ServiceAccountObjects {
  get(resource: 'serviceaccounts' | 'pods' | 'secrets', namespace: string, name: string): Promise<KubeObject | undefined>;
}

/** The `extra` keys upstream sets for pod-bound tokens. */
export const POD_NAME_KEY = 'authentication.kubernetes.io/pod-name';
export const POD_UID_KEY = 'authentication.kubernetes.io/pod-uid';
export const NODE_NAME_KEY = 'authentication.kubernetes.io/node-name';
export const NODE_UID_KEY = 'authentication.kubernetes.io/node-uid';

/** A deleted pod's tokens stay valid this long after its deletion timestamp (upstream's grace). */
const DELETED_POD_GRACE_MS = 60_000;

const rejected = (error: string): CredentialCheck => ({ outcome: 'rejected', error });

/** Options of `serviceAccountTokenAuthenticator`. */
export interface ServiceAccountTokenAuthenticatorOptions {
  keys: TokenKeys;
  objects: ServiceAccountObjects;
  /** The current time (default: the clock). */
  now?: () => Date;
}

/** Builds the service-account token authenticator; see the module comment. */
export function serviceAccountTokenAuthenticator(options: ServiceAccountTokenAuthenticatorOptions): TokenAuthenticator {
  const { keys, objects } = options;
  const now = options.now ?? (() => new Date());

  async function exists(resource: 'serviceaccounts' | 'pods' | 'secrets', namespace: string, name: string, uid: string): Promise<KubeObject | string> {
    const obj = await objects.get(resource, namespace, name);
    const kind = resource === 'serviceaccounts' ? 'service account' : resource === 'pods' ? 'pod' : 'secret';
    if (obj === undefined) return `${resource === 'serviceaccounts' ? 'serviceaccounts' : resource} "${name}" not found`;
    if (obj.metadata.uid !== uid) return `${kind} UID (${obj.metadata.uid ?? ''}) does not match claim (${uid})`;
    return obj;
  }

  async function bound(payload: Record<string, unknown>, audiences: readonly string[]): Promise<CredentialCheck> {
    const seconds = now().getTime() / 1000;
    if (typeof payload.exp === 'number' && seconds > payload.exp) return rejected('service account token has expired');
    if (typeof payload.nbf === 'number' && seconds < payload.nbf) return rejected('service account token is not valid yet');
    const tokenAudiences = Array.isArray(payload.aud) ? (payload.aud as string[]) : typeof payload.aud === 'string' ? [payload.aud] : [];
    const matching = audiences.length === 0 ? tokenAudiences : audiences.filter((a) => tokenAudiences.includes(a));
    if (matching.length === 0) return rejected(`token audiences ${JSON.stringify(tokenAudiences)} is invalid for the target audiences ${JSON.stringify(audiences)}`);
    const claim = payload['kubernetes.io'] as KubernetesClaim | undefined;
    if (claim?.serviceaccount === undefined || typeof claim.namespace !== 'string') return rejected('service account token claims could not be validated due to missing kubernetes.io claim');
    const ns = claim.namespace;
    const account = await exists('serviceaccounts', ns, claim.serviceaccount.name, claim.serviceaccount.uid);
    if (typeof account === 'string') return rejected(account);
    const extra: Record<string, string[]> = {};
    if (claim.pod !== undefined) {
      const pod = await exists('pods', ns, claim.pod.name, claim.pod.uid);
      if (typeof pod === 'string') return rejected(pod);
      const deleted = pod.metadata.deletionTimestamp;
      if (deleted !== undefined && Date.parse(deleted) + DELETED_POD_GRACE_MS < now().getTime()) return rejected(`pod ${ns}/${claim.pod.name} has been deleted`);
      extra[POD_NAME_KEY] = [claim.pod.name];
      extra[POD_UID_KEY] = [claim.pod.uid];
    }
    if (claim.secret !== undefined) {
      const secret = await exists('secrets', ns, claim.secret.name, claim.secret.uid);
      if (typeof secret === 'string') return rejected(secret);
    }
    if (claim.node !== undefined) {
      extra[NODE_NAME_KEY] = [claim.node.name];
      extra[NODE_UID_KEY] = [claim.node.uid];
    }
    if (typeof payload.jti === 'string') extra[CREDENTIAL_ID_KEY] = [`JTI=${payload.jti}`];
    const user: UserInfo = {
      username: serviceAccountUsername(ns, claim.serviceaccount.name),
      uid: claim.serviceaccount.uid,
      groups: serviceAccountGroups(ns),
      ...(Object.keys(extra).length > 0 ? { extra } : {}),
    };
    return { outcome: 'authenticated', user, audiences: matching };
  }

  async function legacy(token: string, payload: LegacyClaims, audiences: readonly string[]): Promise<CredentialCheck> {
    const ns = payload['kubernetes.io/serviceaccount/namespace'];
    const name = payload['kubernetes.io/serviceaccount/service-account.name'];
    const secretName = payload['kubernetes.io/serviceaccount/secret.name'];
    const account = await exists('serviceaccounts', ns, name, payload['kubernetes.io/serviceaccount/service-account.uid']);
    if (typeof account === 'string') return rejected(account);
    const secret = await objects.get('secrets', ns, secretName);
    if (secret === undefined) return rejected(`secrets "${secretName}" not found`);
    if (secret.metadata.deletionTimestamp !== undefined) return rejected(`token ${ns}/${secretName} is being deleted`);
    const stored = (secret.data as Record<string, string> | undefined)?.token;
    if (stored === undefined || Buffer.from(stored, 'base64').toString('utf8') !== token) return rejected('token does not match server\'s copy');
    const user: UserInfo = { username: serviceAccountUsername(ns, name), uid: account.metadata.uid ?? '', groups: serviceAccountGroups(ns) };
    return { outcome: 'authenticated', user, audiences: [...audiences] };
  }

  return {
    async authenticateToken(token, audiences) {
      const issuer = peekIssuer(token);
      if (issuer !== BOUND_TOKEN_ISSUER && issuer !== LEGACY_TOKEN_ISSUER) return { outcome: 'absent' };
      let payload: Record<string, unknown>;
      try {
        payload = (await keys.verify(token)).payload;
      } catch {
        return { outcome: 'absent' };
      }
      return issuer === BOUND_TOKEN_ISSUER ? bound(payload, audiences) : legacy(token, payload as unknown as LegacyClaims, audiences);
    },
  };
}

/** The unverified `iss` of a JWT, if it looks like one. */
function peekIssuer(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}
