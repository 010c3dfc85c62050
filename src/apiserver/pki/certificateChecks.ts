/**
 * Questions asked of existing certificates when deciding whether they can be reused:
 * is it issued by this CA, does its key match, does it cover these names, who does it
 * name, and is it about to expire.
 */
import { isIP } from 'node:net';
import type { CertificateAndKey, ServingNames } from './certificates.js';
import { publicKeyInfoOf } from './keys.js';
import { x509 } from './x509.js';

/** An IP address in one canonical text form (IPv6 compressed and lower-case). */
export function canonicalIp(ip: string): string {
  return isIP(ip) === 6 ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}

/** The DNS names and IP addresses a certificate's subjectAltName extension lists. */
export function subjectAltNames(cert: x509.X509Certificate): ServingNames {
  const extension = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const items = extension?.names.items ?? [];
  return {
    dnsNames: items.filter((n) => n.type === 'dns').map((n) => n.value.toLowerCase()),
    ips: items.filter((n) => n.type === 'ip').map((n) => canonicalIp(n.value)),
  };
}

/** True when every requested DNS name (case-insensitively) and IP address is in the certificate. */
export function coversNames(cert: x509.X509Certificate, wanted: ServingNames): boolean {
  const present = subjectAltNames(cert);
  const dns = new Set(present.dnsNames);
  const ips = new Set(present.ips);
  return wanted.dnsNames.every((d) => dns.has(d.toLowerCase())) && wanted.ips.every((ip) => ips.has(canonicalIp(ip)));
}

/** True when the private key in `pair` belongs to the certificate's public key. */
export function keyMatchesCertificate(pair: CertificateAndKey): boolean {
  const cert = new x509.X509Certificate(pair.certPem);
  return Buffer.from(cert.publicKey.rawData).equals(publicKeyInfoOf(pair.keyPem));
}

/** True when `cert` names `ca` as issuer and carries a valid signature by the CA's key. */
export async function isIssuedBy(cert: x509.X509Certificate, ca: x509.X509Certificate): Promise<boolean> {
  if (cert.issuer !== ca.subject) return false;
  return cert.verify({ publicKey: ca.publicKey, signatureOnly: true });
}

/** True when the certificate is not yet valid at `now` or stops being valid within `marginMs` of it. */
export function needsRenewal(cert: x509.X509Certificate, now: Date, marginMs: number): boolean {
  return cert.notBefore.getTime() > now.getTime() || cert.notAfter.getTime() - now.getTime() < marginMs;
}

/** The user (CN) and groups (O) a client certificate's subject names. */
export function subjectIdentity(cert: x509.X509Certificate): { commonName: string; organizations: string[] } {
  return {
    commonName: cert.subjectName.getField('CN')[0] ?? '',
    organizations: cert.subjectName.getField('O'),
  };
}
