/**
 * Client-certificate authentication: a TLS peer certificate the server verified
 * against the cluster CA names the user (CN) and its groups (O). The TLS server runs
 * with `requestCert: true, rejectUnauthorized: false`, so an unverifiable certificate
 * does not fail the handshake; it is rejected here, as upstream's x509 authenticator
 * does after Go's `RequestClientCert` handshake.
 */
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { TLSSocket, type PeerCertificate } from 'node:tls';
import { CREDENTIAL_ID_KEY, type CredentialCheck } from './user.js';

/** A subject attribute as Node reports it: one value, several, or none. */
function values(field: string | string[] | undefined): string[] {
  if (field === undefined) return [];
  return Array.isArray(field) ? field : [field];
}

/**
 * Authenticates the peer certificate of `socket`. Plain sockets and TLS sockets
 * without a client certificate give `absent`; a certificate the CA does not vouch
 * for (wrong issuer, expired, not for client auth) gives `rejected`; a verified one
 * without a common name gives `absent`, as upstream ignores such certificates.
 */
export function authenticateClientCertificate(socket: Socket): CredentialCheck {
  if (!(socket instanceof TLSSocket)) return { outcome: 'absent' };
  const cached = verdicts.get(socket);
  if (cached !== undefined && Date.now() < cached.until) return cached.check;
  const peer = socket.getPeerCertificate();
  const check = judge(socket, peer);
  // The certificate of a connection never changes: judge it again only once it has expired.
  const expires = Date.parse(peer?.valid_to ?? '');
  verdicts.set(socket, { check, until: Number.isNaN(expires) ? Infinity : expires });
  return check;
}

/** Verdicts per TLS connection, so keep-alive requests skip re-reading the certificate. */
const verdicts = new WeakMap<TLSSocket, { check: CredentialCheck; until: number }>();

function judge(socket: TLSSocket, peer: PeerCertificate | null): CredentialCheck {
  if (peer === null || peer.raw === undefined || Object.keys(peer).length === 0) return { outcome: 'absent' };
  if (!socket.authorized) {
    const why = socket.authorizationError instanceof Error ? socket.authorizationError.message : String(socket.authorizationError);
    return { outcome: 'rejected', error: `verifying certificate failed: ${why}` };
  }
  if (Date.now() >= Date.parse(peer.valid_to)) return { outcome: 'rejected', error: 'verifying certificate failed: certificate has expired' };
  const subject = peer.subject as unknown as Record<string, string | string[] | undefined>;
  const commonName = values(subject.CN).at(-1) ?? '';
  if (commonName === '') return { outcome: 'absent' };
  const fingerprint = createHash('sha256').update(peer.raw).digest('hex');
  return {
    outcome: 'authenticated',
    user: { username: commonName, groups: values(subject.O), extra: { [CREDENTIAL_ID_KEY]: [`X509SHA256=${fingerprint}`] } },
  };
}
