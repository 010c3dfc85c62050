/**
 * Serves /openapi/v2 (JSON, or protobuf for the kubectl versions that ask only for
 * it) and /openapi/v3[/{group-version}] from the generated documents, with ETags and
 * gzip as upstream.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServedDocument } from './openapi/servedDocument.js';
import { servedOpenApiV2Json } from './openapi/v2Document.js';
import { servedOpenApiV2Protobuf } from './openapi/v2Protobuf.js';
import { servedOpenApiV3GroupVersion, servedOpenApiV3Root } from './openapi/v3Documents.js';

function send(req: IncomingMessage, res: ServerResponse, doc: ServedDocument, immutable: boolean): void {
  const headers: Record<string, string> = {
    'Content-Type': doc.contentType,
    ETag: doc.etag,
    Vary: 'Accept',
    'Cache-Control': immutable ? 'public, immutable' : 'no-cache, private',
  };
  if (doc.matches(req.headers['if-none-match'])) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  const body = gzip ? doc.gzipped() : doc.body;
  if (gzip) headers['Content-Encoding'] = 'gzip';
  res.writeHead(200, { ...headers, 'Content-Length': String(body.length) });
  res.end(body);
}

/** Answers OpenAPI requests; resolves false for other paths. */
export async function openApiRoutes(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<boolean> {
  if (path === '/openapi/v2') {
    const protobuf = (req.headers.accept ?? '').includes('protobuf');
    send(req, res, protobuf ? servedOpenApiV2Protobuf() : servedOpenApiV2Json(), false);
    return true;
  }
  if (path === '/openapi/v3') {
    send(req, res, servedOpenApiV3Root(), false);
    return true;
  }
  if (path.startsWith('/openapi/v3/')) {
    const doc = servedOpenApiV3GroupVersion(path.slice('/openapi/v3/'.length));
    if (doc === undefined) return false;
    send(req, res, doc, query.get('hash') === doc.hash);
    return true;
  }
  return false;
}
