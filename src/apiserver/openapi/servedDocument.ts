/**
 * A published document as the HTTP layer sends it: the serialized body, its content
 * type, a content hash for `ETag` / `If-None-Match` and for the `?hash=` of OpenAPI
 * v3 discovery, and a gzip of the body made on first request.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** What every OpenAPI document says about itself in `info`. */
export const OPENAPI_INFO = { title: 'Kubernetes', version: 'v1.32.0' } as const;

/** How clients authenticate, as both document versions declare it. */
export const BEARER_TOKEN_SCHEME = {
  description: 'A bearer token in the authorization header, e.g. "authorization: Bearer <token>".',
  type: 'apiKey',
  name: 'authorization',
  in: 'header',
} as const;

/** One immutable document body with its validators. */
export class ServedDocument {
  /** Upper-case hex SHA-512 of the body, as upstream puts in `?hash=`. */
  readonly hash: string;
  /** The `ETag` header value (the hash, quoted). */
  readonly etag: string;
  private gzip?: Buffer;

  constructor(
    readonly body: Buffer,
    readonly contentType: string,
  ) {
    this.hash = createHash('sha512').update(body).digest('hex').toUpperCase();
    this.etag = `"${this.hash}"`;
  }

  /** The body gzip-compressed, computed once. */
  gzipped(): Buffer {
    this.gzip ??= gzipSync(this.body);
    return this.gzip;
  }

  /** True when an `If-None-Match` header value names this body. */
  matches(ifNoneMatch: string | undefined): boolean {
    if (!ifNoneMatch) return false;
    return ifNoneMatch.split(',').some((tag) => {
      const value = tag.trim().replace(/^W\//, '');
      return value === '*' || value === this.etag;
    });
  }
}

/** A JSON document. */
export function jsonDocument(value: unknown): ServedDocument {
  return new ServedDocument(Buffer.from(JSON.stringify(value)), 'application/json');
}
