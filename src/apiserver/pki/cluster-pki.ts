/**
 * The cluster's PKI on disk, under `<dataDir>/tls/`: a CA, the API server's serving
 * certificate, the `admin` client certificate and the service-account signing key
 * pair (RSA 2048). Created on first start and reused afterwards; leaf certificates are renewed
 * when they no longer fit (names, issuer, key) or are close to expiry.
 */
import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import {
  createCertificateAuthority,
  issueClientCertificateFrom,
  issueServingCertificate,
  type CertificateAndKey,
  type ClientIdentity,
  type ServingNames,
} from './certificates.js';
import {
  coversNames,
  isIssuedBy,
  keyMatchesCertificate,
  needsRenewal,
  subjectIdentity,
} from './certificateChecks.js';
import { readFileIfExists, writeFileAtomic } from './files.js';
import { publicKeyInfoOf } from './keys.js';
import { x509 } from './x509.js';

/** The first address of the default Service CIDR (198.19.0.0/16): the `kubernetes` Service. */
export const DEFAULT_SERVICE_IP = '198.19.0.1';
/** The admin identity: full rights through the `system:masters` group. */
export const ADMIN_IDENTITY: Readonly<Required<ClientIdentity>> = { commonName: 'admin', organizations: ['system:masters'] };

const CA_DAYS = 3650;
const LEAF_DAYS = 365;
/** Leaf certificates are renewed on start when less than this much validity is left. */
const RENEW_BEFORE_MS = 90 * 24 * 60 * 60 * 1000;

/** What `ensureClusterPki` should put into the serving certificate beyond the defaults. */
export interface ClusterPkiOptions {
  /** Extra names (DNS names, or IP literals) the API server is reached by. */
  hostnames?: readonly string[];
  /** Extra IP addresses the API server is reached by. */
  ips?: readonly string[];
  /** The cluster IP of the `kubernetes` Service; default 198.19.0.1. */
  serviceIp?: string;
  /** The current time; defaults to the clock. */
  now?: Date;
}

/** The service-account token signing key pair, in PEM. */
export interface ServiceAccountKeys {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** The parts of the PKI, after `ensureClusterPki`. */
export type PkiPart = 'ca' | 'serving' | 'admin' | 'serviceAccount';

/** The cluster PKI as loaded or created by `ensureClusterPki`. */
export interface ClusterPki {
  /** The directory holding the files (`<dataDir>/tls`). */
  directory: string;
  ca: CertificateAndKey;
  serving: CertificateAndKey;
  admin: CertificateAndKey;
  serviceAccount: ServiceAccountKeys;
  /** The parts this call created or renewed (empty when everything on disk was reused). */
  issued: PkiPart[];
}

/** The directory of the cluster PKI for a data directory. */
export function tlsDirectory(dataDir: string): string {
  return join(dataDir, 'tls');
}

/**
 * The names the serving certificate must cover: loopback (127.0.0.1, ::1, localhost),
 * this host's name, the in-cluster names of the `kubernetes` Service, its cluster IP,
 * and the extra names. IP literals among `hostnames` count as IPs; a non-IP in `ips`
 * throws.
 */
export function servingNames(opts: ClusterPkiOptions = {}): ServingNames {
  const dnsNames = new Set<string>([
    'localhost',
    hostname().toLowerCase(),
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
  ]);
  const ips = new Set<string>(['127.0.0.1', '::1', opts.serviceIp ?? DEFAULT_SERVICE_IP]);
  for (const name of opts.hostnames ?? []) {
    if (isIP(name) !== 0) ips.add(name);
    else if (name !== '') dnsNames.add(name.toLowerCase());
  }
  for (const ip of opts.ips ?? []) {
    if (isIP(ip) === 0) throw new Error(`invalid IP address for the serving certificate: "${ip}"`);
    ips.add(ip);
  }
  if (isIP(opts.serviceIp ?? DEFAULT_SERVICE_IP) === 0) {
    throw new Error(`invalid service IP address: "${opts.serviceIp}"`);
  }
  return { dnsNames: [...dnsNames], ips: [...ips] };
}

interface PairFiles {
  cert: string;
  key: string;
}

function pairFiles(directory: string, name: string): PairFiles {
  return { cert: join(directory, `${name}.crt`), key: join(directory, `${name}.key`) };
}

async function readPair(files: PairFiles): Promise<CertificateAndKey | undefined> {
  const [certPem, keyPem] = await Promise.all([readFileIfExists(files.cert), readFileIfExists(files.key)]);
  if (certPem === undefined && keyPem === undefined) return undefined;
  if (certPem === undefined || keyPem === undefined) {
    throw new Error(`incomplete key pair: ${certPem === undefined ? files.cert : files.key} is missing`);
  }
  return { certPem, keyPem };
}

async function writePair(files: PairFiles, pair: CertificateAndKey): Promise<void> {
  await writeFileAtomic(files.key, pair.keyPem, 0o600);
  await writeFileAtomic(files.cert, pair.certPem, 0o644);
}

/** Loads the CA, or creates one when none exists. An unusable CA is an error, never silently replaced. */
async function ensureCa(files: PairFiles, now: Date, issued: PkiPart[]): Promise<CertificateAndKey> {
  const existing = await readPair(files);
  if (existing !== undefined) {
    if (!keyMatchesCertificate(existing)) {
      throw new Error(`${files.key} does not belong to ${files.cert}; remove both to create a new cluster CA`);
    }
    return existing;
  }
  const ca = await createCertificateAuthority(`k8ts-ca@${Math.floor(now.getTime() / 1000)}`, { days: CA_DAYS, now });
  await writePair(files, ca);
  issued.push('ca');
  return ca;
}

/** True when a leaf pair parses, matches its key, is from `ca`, is not due for renewal and `fits`. */
async function leafIsUsable(
  pair: CertificateAndKey,
  ca: CertificateAndKey,
  now: Date,
  fits: (cert: x509.X509Certificate) => boolean,
): Promise<boolean> {
  try {
    const cert = new x509.X509Certificate(pair.certPem);
    return (
      keyMatchesCertificate(pair) &&
      !needsRenewal(cert, now, RENEW_BEFORE_MS) &&
      fits(cert) &&
      (await isIssuedBy(cert, new x509.X509Certificate(ca.certPem)))
    );
  } catch {
    return false;
  }
}

/**
 * Reuses a leaf pair when it is from `ca`, matches its key, is not due for renewal and
 * `fits` accepts it; otherwise issues a new one, writes it and records `part` as issued.
 */
async function ensureLeaf(
  part: PkiPart,
  files: PairFiles,
  ca: CertificateAndKey,
  now: Date,
  issued: PkiPart[],
  fits: (cert: x509.X509Certificate) => boolean,
  issue: () => Promise<CertificateAndKey>,
): Promise<CertificateAndKey> {
  const existing = await readPair(files).catch(() => undefined);
  if (existing !== undefined && (await leafIsUsable(existing, ca, now, fits))) return existing;
  const pair = await issue();
  await writePair(files, pair);
  issued.push(part);
  return pair;
}

/** True when a certificate subject is exactly the admin identity. */
function namesAdmin(identity: { commonName: string; organizations: string[] }): boolean {
  return (
    identity.commonName === ADMIN_IDENTITY.commonName &&
    identity.organizations.join('\n') === ADMIN_IDENTITY.organizations.join('\n')
  );
}

/** Loads the service-account key pair (re-deriving sa.pub from sa.key), or creates one. */
async function ensureServiceAccountKeys(directory: string, issued: PkiPart[]): Promise<ServiceAccountKeys> {
  const privatePath = join(directory, 'sa.key');
  const publicPath = join(directory, 'sa.pub');
  const [privateKeyPem, publicKeyPem] = await Promise.all([readFileIfExists(privatePath), readFileIfExists(publicPath)]);
  if (privateKeyPem !== undefined) {
    const derivedPem = x509.PemConverter.encode(new Uint8Array(publicKeyInfoOf(privateKeyPem)), 'PUBLIC KEY');
    if (publicKeyPem === undefined || publicKeyPem.trim() !== derivedPem.trim()) {
      await writeFileAtomic(publicPath, derivedPem, 0o644);
    }
    return { privateKeyPem, publicKeyPem: derivedPem };
  }
  // RSA, as kubeadm makes it: tokens are then signed RS256, upstream's default algorithm.
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const newKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const pair = { privateKeyPem: newKeyPem, publicKeyPem: x509.PemConverter.encode(new Uint8Array(publicKeyInfoOf(newKeyPem)), 'PUBLIC KEY') };
  await writeFileAtomic(privatePath, pair.privateKeyPem, 0o600);
  await writeFileAtomic(publicPath, pair.publicKeyPem, 0o644);
  issued.push('serviceAccount');
  return pair;
}

/**
 * Loads the cluster PKI from `<dataDir>/tls/`, creating whatever is missing: the CA
 * (10 years), the serving certificate (1 year; renewed when its names do not cover
 * `servingNames(opts)`, it is not from this CA, or under 90 days remain), the admin
 * client certificate (CN admin, O system:masters; same renewal rules) and the
 * service-account key pair. Keys are written 0600, the directory is kept 0700.
 * Throws when the CA files are incomplete or do not match.
 */
export async function ensureClusterPki(dataDir: string, opts: ClusterPkiOptions = {}): Promise<ClusterPki> {
  const now = opts.now ?? new Date();
  const directory = tlsDirectory(dataDir);
  const names = servingNames(opts);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  await chmod(directory, 0o700);

  const issued: PkiPart[] = [];
  const ca = await ensureCa(pairFiles(directory, 'ca'), now, issued);

  const serving = await ensureLeaf(
    'serving',
    pairFiles(directory, 'serving'),
    ca,
    now,
    issued,
    (cert) => coversNames(cert, names),
    async () => issueServingCertificate(ca, 'kube-apiserver', names, { days: LEAF_DAYS, now }),
  );
  const admin = await ensureLeaf(
    'admin',
    pairFiles(directory, 'admin'),
    ca,
    now,
    issued,
    (cert) => namesAdmin(subjectIdentity(cert)),
    async () => issueClientCertificateFrom(ca, ADMIN_IDENTITY, { days: LEAF_DAYS, now }),
  );
  const serviceAccount = await ensureServiceAccountKeys(directory, issued);
  return { directory, ca, serving, admin, serviceAccount, issued };
}

/** What `issueClientCertificate` should put into the certificate. */
export interface ClientCertificateRequest extends ClientIdentity {
  /** Validity in days; default 365. */
  days?: number;
  now?: Date;
}

/**
 * Issues a client certificate from the cluster CA for a user (CN) in groups (O), for
 * agents and extra users. Nothing is written to disk.
 */
export async function issueClientCertificate(
  pki: Pick<ClusterPki, 'ca'>,
  request: ClientCertificateRequest,
): Promise<CertificateAndKey> {
  const identity: ClientIdentity = { commonName: request.commonName, organizations: request.organizations ?? [] };
  return issueClientCertificateFrom(pki.ca, identity, { days: request.days ?? LEAF_DAYS, now: request.now });
}

/** The identity the API server presents to kubelets (upstream's apiserver-kubelet-client). */
export const KUBELET_CLIENT_IDENTITY: Readonly<Required<ClientIdentity>> = { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'] };

/**
 * Issues a serving certificate from the cluster CA for another server of the cluster
 * (a kubelet's streaming server): CN `commonName`, valid for exactly `names`.
 * Nothing is written to disk.
 */
export async function issueServingCertificateFor(
  pki: Pick<ClusterPki, 'ca'>,
  commonName: string,
  names: ServingNames,
  validity: { days?: number; now?: Date } = {},
): Promise<CertificateAndKey> {
  return issueServingCertificate(pki.ca, commonName, names, { days: validity.days ?? LEAF_DAYS, now: validity.now });
}
