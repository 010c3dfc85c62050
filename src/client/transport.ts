/**
 * The one seam between the client and an API server: send one HTTP-shaped request,
 * get a status, headers and a streamed body back. The HTTPS implementation talks to
 * a remote apiserver; an in-process one can call the apiserver's handler directly;
 * tests use a fake. Everything above (REST client, watches, informers) is the same.
 */

/** One request to the API. `path` starts with `/` and carries no query string. */
export interface TransportRequest {
  method: string;
  path: string;
  query?: URLSearchParams;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Aborting cancels the request and ends the response body stream. */
  signal?: AbortSignal;
}

/**
 * A response whose head has arrived. `headers` names are lower-case. The body must be
 * consumed (or its iteration broken off) to free the connection.
 */
export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  body: AsyncIterable<Buffer>;
}

/** Anything that can carry API requests. */
export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
  /** Releases pooled connections; optional for transports that hold none. */
  close?(): void;
}

/** Why a request failed without a usable HTTP response. */
export type TransportErrorKind =
  /** Could not connect, connection reset, TLS failure, DNS failure. */
  | 'Network'
  /** The caller's AbortSignal fired. */
  | 'Aborted'
  /** A 2xx response whose body is not the JSON expected. */
  | 'Decode';

/** A failure below the API's error model: no Status was received. Branch on `kind`. */
export class TransportError extends Error {
  readonly kind: TransportErrorKind;
  /** The system error code when there is one (`ECONNREFUSED`, `ECONNRESET`, …). */
  readonly code: string | undefined;

  constructor(kind: TransportErrorKind, message: string, options?: { code?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TransportError';
    this.kind = kind;
    this.code = options?.code;
  }
}

/** True when `err` is a TransportError of the given kind. */
export function isTransportError(err: unknown, kind?: TransportErrorKind): err is TransportError {
  return err instanceof TransportError && (kind === undefined || err.kind === kind);
}

/** Reads a whole body into one Buffer. */
export async function readBody(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}
