/**
 * Registry credentials from a pod's imagePullSecrets (`kubernetes.io/dockerconfigjson`
 * and the legacy `kubernetes.io/dockercfg`), matched to an image as upstream's keyring
 * does: a key is a host (globs like `*.example.com` per label), an optional port that
 * must be equal, and an optional path that must prefix the image's repository path.
 * The most specific keys come first; docker.io images also match `index.docker.io`.
 */
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { AuthConfig } from '../runtime/cri/types.js';

interface DockerConfigEntry {
  username?: string;
  password?: string;
  auth?: string;
  email?: string;
  identitytoken?: string;
  registrytoken?: string;
}

interface ParsedLocation {
  host: string;
  port: string;
  path: string;
}

const DEFAULT_REGISTRY_HOST = 'index.docker.io';

/** `busybox` → `docker.io/library/busybox`; tags and digests are dropped. */
export function normalizedRepository(image: string): string {
  const withoutDigest = image.split('@')[0] ?? '';
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const name = colon > lastSlash ? withoutDigest.slice(0, colon) : withoutDigest;
  const firstSlash = name.indexOf('/');
  const first = firstSlash < 0 ? '' : name.slice(0, firstSlash);
  if (first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost')) return name;
  return firstSlash < 0 ? `docker.io/library/${name}` : `docker.io/${name}`;
}

/** Splits a keyring key or an image repository (scheme optional) into host, port and path. */
function parseLocation(value: string): ParsedLocation | undefined {
  const withoutScheme = value.replace(/^https?:\/\//, '');
  const slash = withoutScheme.indexOf('/');
  const authority = (slash < 0 ? withoutScheme : withoutScheme.slice(0, slash)).toLowerCase();
  let path = slash < 0 ? '' : withoutScheme.slice(slash);
  const match = /^([a-z0-9*_.-]+)(?::(\d+))?$/.exec(authority);
  if (match === null) return undefined;
  if (path.startsWith('/v1/') || path.startsWith('/v2/')) path = path.slice(3);
  path = path.replace(/\/+$/, '');
  return { host: match[1] ?? '', port: match[2] ?? '', path };
}

/** One label of a key's host against one label of the image's host (`*` matches any run). */
function labelMatches(pattern: string, label: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^.]*')}$`);
  return regex.test(label);
}

function locationMatches(key: ParsedLocation, image: ParsedLocation): boolean {
  const keyLabels = key.host.split('.');
  const imageLabels = image.host.split('.');
  if (keyLabels.length !== imageLabels.length) return false;
  if (!keyLabels.every((label, i) => labelMatches(label, imageLabels[i] ?? ''))) return false;
  if (key.port !== image.port) return false;
  return image.path.startsWith(key.path);
}

/** No server address: containerd would compare it with the host it pulls from and drop the credentials. */
function authConfigOf(entry: DockerConfigEntry): AuthConfig {
  let { username, password } = entry;
  if (entry.auth !== undefined && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
  }
  return {
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(entry.identitytoken !== undefined && entry.identitytoken !== '' ? { identityToken: entry.identitytoken } : {}),
    ...(entry.registrytoken !== undefined && entry.registrytoken !== '' ? { registryToken: entry.registrytoken } : {}),
  };
}

/** The `registry → entry` map a pull secret holds, or nothing for other secrets and bad JSON. */
function entriesOf(secret: Secret): Record<string, DockerConfigEntry> {
  try {
    if (secret.type === 'kubernetes.io/dockerconfigjson') {
      const data = secret.data?.['.dockerconfigjson'];
      if (data === undefined || data === '') return {};
      const parsed = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { auths?: Record<string, DockerConfigEntry> };
      return parsed.auths ?? {};
    }
    if (secret.type === 'kubernetes.io/dockercfg') {
      const data = secret.data?.['.dockercfg'];
      if (data === undefined || data === '') return {};
      return JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as Record<string, DockerConfigEntry>;
    }
  } catch {
    return {};
  }
  return {};
}

/** Credentials of the pull secrets, looked up per image. */
export class DockerKeyring {
  readonly #keys: { key: string; location: ParsedLocation; auth: AuthConfig }[] = [];

  /** The keyring of `secrets` (in pod order; non-pull secrets and bad JSON are ignored). */
  constructor(secrets: readonly Secret[]) {
    for (const secret of secrets) {
      for (const [registry, entry] of Object.entries(entriesOf(secret))) {
        const location = parseLocation(registry);
        if (location === undefined) continue;
        const key = `${location.host}${location.port !== '' ? `:${location.port}` : ''}${location.path}`;
        this.#keys.push({ key, location, auth: authConfigOf(entry) });
      }
    }
  }

  /** The credentials to try for `image`, most specific key first, secrets in pod order within a key. */
  lookup(image: string): AuthConfig[] {
    const repository = normalizedRepository(image);
    const target = parseLocation(repository);
    if (target === undefined) return [];
    const keys = [...new Set(this.#keys.map((entry) => entry.key))].sort().reverse();
    const matches = keys.flatMap((key) => this.#keys.filter((entry) => entry.key === key && locationMatches(entry.location, target)).map((entry) => entry.auth));
    if (matches.length > 0) return matches;
    if (repository.startsWith('docker.io/')) return this.#keys.filter((entry) => entry.key === DEFAULT_REGISTRY_HOST).map((entry) => entry.auth);
    return [];
  }
}
