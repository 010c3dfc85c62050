/**
 * Issuing X.509 certificates for the cluster: a self-signed CA, serving certificates
 * with subject alternative names, and client certificates whose subject carries a
 * Kubernetes identity (CN = user, O = groups). Every issued certificate comes with a
 * fresh ECDSA P-256 key.
 */
import { randomBytes } from 'node:crypto';
import {
  generateSigningKeyPair,
  importSigningKeyPair,
  privateKeyToPem,
  signingAlgorithmFor,
  type SigningKeyPair,
} from './keys.js';
import { x509 } from './x509.js';

/** A PEM certificate with its PEM private key. */
export interface CertificateAndKey {
  certPem: string;
  keyPem: string;
}

/** Validity and clock for one issuance. */
export interface Validity {
  days: number;
  /** The issuing time; defaults to the current time. */
  now?: Date;
}

/** The subject alternative names of a serving certificate. */
export interface ServingNames {
  dnsNames: readonly string[];
  ips: readonly string[];
}

/** A Kubernetes identity for a client certificate. */
export interface ClientIdentity {
  commonName: string;
  organizations?: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Certificates start a little in the past, so clients with a slow clock accept them at once. */
const BACKDATE_MS = 5 * 60 * 1000;

/** A random positive 128-bit serial number whose DER encoding is minimal (as Go requires). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function validityWindow(validity: Validity): { notBefore: Date; notAfter: Date } {
  const now = (validity.now ?? new Date()).getTime();
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + validity.days * DAY_MS) };
}

/** A subject distinguished name with one RDN per attribute, so commas in values need no escaping. */
function subjectName(commonName: string, organizations: readonly string[] = []): x509.JsonName {
  return [...organizations.map((o) => ({ O: [o] })), { CN: [commonName] }];
}

/** Creates a self-signed CA certificate (`CN=<commonName>`) with a new key. */
export async function createCertificateAuthority(commonName: string, validity: Validity): Promise<CertificateAndKey> {
  const keys = await generateSigningKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: subjectName(commonName),
    keys,
    signingAlgorithm: signingAlgorithmFor(keys.privateKey),
    ...validityWindow(validity),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyToPem(keys.privateKey) };
}

async function issueLeaf(
  ca: CertificateAndKey,
  subject: x509.JsonName,
  validity: Validity,
  purposeExtensions: x509.Extension[],
): Promise<CertificateAndKey> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKeys: SigningKeyPair = await importSigningKeyPair(ca.keyPem);
  const keys = await generateSigningKeyPair();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject,
    issuer: caCert.subjectName,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: signingAlgorithmFor(caKeys.privateKey),
    ...validityWindow(validity),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      ...purposeExtensions,
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyToPem(keys.privateKey) };
}

/** Issues a TLS server certificate signed by `ca`, valid for the given DNS names and IP addresses. */
export async function issueServingCertificate(
  ca: CertificateAndKey,
  commonName: string,
  names: ServingNames,
  validity: Validity,
): Promise<CertificateAndKey> {
  const altNames: x509.JsonGeneralName[] = [
    ...names.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...names.ips.map((value) => ({ type: 'ip' as const, value })),
  ];
  return issueLeaf(ca, subjectName(commonName), validity, [
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension(altNames),
  ]);
}

/** Issues a TLS client certificate signed by `ca` for a user (CN) and its groups (O). */
export async function issueClientCertificateFrom(
  ca: CertificateAndKey,
  identity: ClientIdentity,
  validity: Validity,
): Promise<CertificateAndKey> {
  return issueLeaf(ca, subjectName(identity.commonName, identity.organizations), validity, [
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
  ]);
}
