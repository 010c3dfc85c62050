/**
 * Kubeconfig files for k8ts clusters: writing one with embedded credentials (what
 * kubectl and client libraries read) and reading one back into PEM strings for our
 * own client and tests.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { writeFileAtomic } from '../apiserver/pki/files.js';

/** What a kubeconfig written by k8ts contains: one cluster, one user, one context. */
export interface KubeconfigSpec {
  /** The API server URL, e.g. `https://127.0.0.1:6443`. */
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** Default `k8ts`. */
  clusterName?: string;
  /** Default `k8ts`. */
  contextName?: string;
  /** Default `admin`. */
  user?: string;
  /** The context's default namespace; omitted when not given. */
  namespace?: string;
}

/** The credentials of a kubeconfig's current context. */
export interface KubeconfigCredentials {
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

const base64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64');

/**
 * Writes a kubeconfig (apiVersion v1, kind Config) with the CA and client certificate
 * embedded as base64 `*-data` fields, current-context set, mode 0600, creating parent
 * directories. The file is replaced atomically.
 */
export async function writeKubeconfig(path: string, spec: KubeconfigSpec): Promise<void> {
  const clusterName = spec.clusterName ?? 'k8ts';
  const contextName = spec.contextName ?? 'k8ts';
  const user = spec.user ?? 'admin';
  const context: Record<string, string> = { cluster: clusterName, user };
  if (spec.namespace !== undefined) context.namespace = spec.namespace;
  const document = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster: { server: spec.server, 'certificate-authority-data': base64(spec.caPem) } }],
    users: [
      {
        name: user,
        user: {
          'client-certificate-data': base64(spec.clientCertPem),
          'client-key-data': base64(spec.clientKeyPem),
        },
      },
    ],
    contexts: [{ name: contextName, context }],
    'current-context': contextName,
    preferences: {},
  };
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, stringify(document), 0o600);
}

type Section = Record<string, unknown>;

const isSection = (value: unknown): value is Section => typeof value === 'object' && value !== null;

/** The `field` section of the entry called `name` in a kubeconfig list (clusters, users, contexts). */
function findNamed(list: unknown, name: unknown, field: string): Section {
  const entries: unknown[] = Array.isArray(list) ? list : [];
  const entry = entries.filter(isSection).find((e) => e.name === name);
  const value = entry?.[field];
  if (!isSection(value)) throw new Error(`kubeconfig has no ${field} named "${String(name)}"`);
  return value;
}

/** Decodes an embedded `*-data` field, or reads the file the matching path field names. */
async function material(section: Section, dataField: string, pathField: string, baseDir: string): Promise<string> {
  const data = section[dataField];
  if (typeof data === 'string') return Buffer.from(data, 'base64').toString('utf8');
  const file = section[pathField];
  if (typeof file === 'string') return readFile(resolve(baseDir, file), 'utf8');
  throw new Error(`kubeconfig has neither ${dataField} nor ${pathField}`);
}

/**
 * Reads the server URL, CA and client certificate/key of a kubeconfig's current
 * context (embedded data or file paths, relative to the kubeconfig). Throws when the
 * file is missing or lacks any of them.
 */
export async function readKubeconfig(path: string): Promise<KubeconfigCredentials> {
  const document: unknown = parse(await readFile(path, 'utf8'));
  if (!isSection(document)) throw new Error(`${path} is not a kubeconfig`);
  const config = document;
  const context = findNamed(config.contexts, config['current-context'], 'context');
  const cluster = findNamed(config.clusters, context.cluster, 'cluster');
  const user = findNamed(config.users, context.user, 'user');
  if (typeof cluster.server !== 'string') throw new Error(`kubeconfig cluster "${String(context.cluster)}" has no server`);
  const baseDir = dirname(path);
  return {
    server: cluster.server,
    caPem: await material(cluster, 'certificate-authority-data', 'certificate-authority', baseDir),
    clientCertPem: await material(user, 'client-certificate-data', 'client-certificate', baseDir),
    clientKeyPem: await material(user, 'client-key-data', 'client-key', baseDir),
  };
}
