/**
 * A read-only OCI distribution registry on 127.0.0.1 serving k8ts's built-in images
 * out of containerd's content store, so that containerd can resolve them as a mirror
 * of their registry (`busybox` with pull policy Always works offline and resolves to
 * the imported image). Only manifests given to `serveImage` and the blobs they name
 * are served; everything else is a 404 with the registry's error JSON.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** containerd's content store directory under its `root`. */
export function contentStoreDir(containerdRoot: string): string {
  return join(containerdRoot, 'io.containerd.content.v1.content');
}

interface ServedManifest {
  digest: string;
  mediaType: string;
}

interface ManifestDocument {
  mediaType?: string;
  config?: { digest?: string };
  layers?: { digest?: string }[];
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const ROUTE = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/;

/** Splits `host/repo/path:tag` into the repository path (without host) and tag. */
export function repositoryAndTag(imageName: string): { repository: string; tag: string } {
  const slash = imageName.indexOf('/');
  const withoutHost = slash >= 0 ? imageName.slice(slash + 1) : imageName;
  const colon = withoutHost.lastIndexOf(':');
  if (colon < 0 || withoutHost.includes('/', colon)) return { repository: withoutHost, tag: 'latest' };
  return { repository: withoutHost.slice(0, colon), tag: withoutHost.slice(colon + 1) };
}

/** The registry. `listen()` once, `close()` once. */
export class LocalRegistry {
  readonly #blobsDir: string;
  readonly #tags = new Map<string, ServedManifest>();
  readonly #manifests = new Map<string, ServedManifest & { repository: string }>();
  readonly #blobs = new Set<string>();
  #server: Server | undefined;
  #port = 0;

  /** `contentDir` is a containerd content store (see `contentStoreDir`). */
  constructor(contentDir: string) {
    this.#blobsDir = join(contentDir, 'blobs', 'sha256');
  }

  /** `http://127.0.0.1:<port>`, once listening. */
  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /**
   * Serves the manifest `manifestDigest` (already in the content store) as `imageName`
   * (`registry/repository:tag`; the registry host is ignored), with its config and layers.
   */
  async serveImage(imageName: string, manifestDigest: string): Promise<void> {
    const document = JSON.parse(await readFile(this.#blobPath(manifestDigest), 'utf8')) as ManifestDocument;
    const mediaType = document.mediaType ?? 'application/vnd.oci.image.manifest.v1+json';
    const { repository, tag } = repositoryAndTag(imageName);
    const served = { digest: manifestDigest, mediaType };
    this.#tags.set(`${repository}:${tag}`, served);
    this.#manifests.set(manifestDigest, { ...served, repository });
    for (const digest of [document.config?.digest, ...(document.layers ?? []).map((layer) => layer.digest)]) {
      if (digest !== undefined && DIGEST.test(digest)) this.#blobs.add(`${repository}@${digest}`);
    }
  }

  /** Listens on a random 127.0.0.1 port. */
  async listen(): Promise<void> {
    const server = createServer((req, res) => {
      this.#handle(req, res).catch(() => {
        if (!res.headersSent) sendError(res, 500, 'UNKNOWN', 'unknown error');
        else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
  }

  /** Stops listening and drops open connections. */
  async close(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #blobPath(digest: string): string {
    if (!DIGEST.test(digest)) throw new Error(`not a sha256 digest: ${digest}`);
    return join(this.#blobsDir, digest.slice('sha256:'.length));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, 'UNSUPPORTED', 'The operation is unsupported.');
      return;
    }
    const path = new URL(req.url ?? '/', 'http://registry').pathname;
    if (path === '/v2/' || path === '/v2') {
      sendJson(res, 200, {});
      return;
    }
    const route = ROUTE.exec(path);
    if (route === null) {
      sendError(res, 404, 'NOT_FOUND', 'page not found');
      return;
    }
    const [, repository = '', kind, reference = ''] = route;
    if (kind === 'manifests') {
      const byDigest = this.#manifests.get(reference);
      const manifest = DIGEST.test(reference) ? (byDigest?.repository === repository ? byDigest : undefined) : this.#tags.get(`${repository}:${reference}`);
      if (manifest === undefined) {
        sendError(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown');
        return;
      }
      await sendBlob(req, res, this.#blobPath(manifest.digest), manifest.digest, manifest.mediaType);
      return;
    }
    if (!this.#blobs.has(`${repository}@${reference}`) && this.#manifests.get(reference)?.repository !== repository) {
      sendError(res, 404, 'BLOB_UNKNOWN', 'blob unknown to registry');
      return;
    }
    await sendBlob(req, res, this.#blobPath(reference), reference, 'application/octet-stream');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The distribution spec's error body. */
function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { errors: [{ code, message }] });
}

/** Sends a content-store file, or BLOB_UNKNOWN when containerd no longer has it. */
async function sendBlob(req: IncomingMessage, res: ServerResponse, path: string, digest: string, contentType: string): Promise<void> {
  const size = await stat(path).then((info) => info.size, () => undefined);
  if (size === undefined) {
    sendError(res, 404, 'BLOB_UNKNOWN', 'blob unknown to registry');
    return;
  }
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': size, 'Docker-Content-Digest': digest, ETag: `"${digest}"` });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(path);
  stream.once('error', () => res.destroy());
  stream.pipe(res);
}
