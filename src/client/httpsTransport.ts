/**
 * The network transport: HTTPS (or plain HTTP for loopback tests) to an apiserver,
 * with pooled keep-alive connections, a client certificate and a CA bundle as a
 * kubeconfig provides them, and an optional bearer token.
 */
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { TransportError } from './transport.js';
import type { Transport, TransportRequest, TransportResponse } from './transport.js';

/** Where and how to connect; PEM strings as found (decoded) in a kubeconfig. */
export interface HttpsTransportOptions {
  /** Base URL, e.g. `https://127.0.0.1:6443` (a path prefix is kept). `http:` is allowed. */
  server: string;
  /** CA bundle to verify the server with; absent = the system roots. */
  caPem?: string;
  /** Client certificate and key for mutual TLS. */
  certPem?: string;
  keyPem?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  bearerToken?: string;
  /** Skip server certificate verification (kubeconfig `insecure-skip-tls-verify`). */
  insecureSkipTLSVerify?: boolean;
  /** TLS server name to verify instead of the URL's host (kubeconfig `tls-server-name`). */
  tlsServerName?: string;
  /** Sent as `User-Agent`, also over one a request names (see `RestClientOptions.userAgent`). */
  userAgent?: string;
  /** Upper bound on pooled sockets per host (default: unlimited). */
  maxSockets?: number;
}

/** A Transport over node:https (or node:http) with a keep-alive Agent. */
export class HttpsTransport implements Transport {
  readonly #base: URL;
  readonly #agent: http.Agent;
  readonly #secure: boolean;
  readonly #headers: Record<string, string>;
  readonly #servername: string | undefined;

  constructor(options: HttpsTransportOptions) {
    this.#base = new URL(options.server);
    this.#secure = this.#base.protocol === 'https:';
    if (!this.#secure && this.#base.protocol !== 'http:') {
      throw new Error(`unsupported server URL scheme ${JSON.stringify(this.#base.protocol)}`);
    }
    const maxSockets = options.maxSockets ?? Infinity;
    this.#agent = this.#secure
      ? new https.Agent({
          keepAlive: true,
          maxSockets,
          ca: options.caPem,
          cert: options.certPem,
          key: options.keyPem,
          rejectUnauthorized: options.insecureSkipTLSVerify !== true,
        })
      : new http.Agent({ keepAlive: true, maxSockets });
    this.#servername = options.tlsServerName;
    this.#headers = {};
    if (options.bearerToken !== undefined) this.#headers['authorization'] = `Bearer ${options.bearerToken}`;
    if (options.userAgent !== undefined) this.#headers['user-agent'] = options.userAgent;
  }

  request(req: TransportRequest): Promise<TransportResponse> {
    const { signal } = req;
    if (signal?.aborted) return Promise.reject(abortedError(req));
    const prefix = this.#base.pathname.replace(/\/$/, '');
    const query = req.query !== undefined && [...req.query].length > 0 ? `?${req.query.toString()}` : '';
    // The transport's own headers (credentials, user agent) win over a request's.
    const headers: Record<string, string | number> = { ...req.headers, ...this.#headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const options: https.RequestOptions = {
      protocol: this.#base.protocol,
      hostname: this.#base.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: this.#base.port === '' ? undefined : Number(this.#base.port),
      path: `${prefix}${req.path}${query}`,
      method: req.method,
      headers,
      agent: this.#agent,
      signal,
    };
    if (this.#servername !== undefined) options.servername = this.#servername;
    const send = this.#secure ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const outgoing = send(options, (res: IncomingMessage) => {
        resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body: guardBody(res, req) });
      });
      outgoing.on('error', (err: NodeJS.ErrnoException) => {
        reject(signal?.aborted ? abortedError(req) : networkError(req, err));
      });
      outgoing.end(req.body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** Re-raises body stream failures as TransportErrors. */
async function* guardBody(res: IncomingMessage, req: TransportRequest): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of res) yield chunk as Buffer;
  } catch (err) {
    throw req.signal?.aborted ? abortedError(req) : networkError(req, err as NodeJS.ErrnoException);
  } finally {
    if (!res.complete) res.destroy();
  }
}

function abortedError(req: TransportRequest): TransportError {
  return new TransportError('Aborted', `${req.method} ${req.path}: request aborted`, { code: 'ABORT_ERR' });
}

function networkError(req: TransportRequest, err: NodeJS.ErrnoException): TransportError {
  return new TransportError('Network', `${req.method} ${req.path}: ${err.message}`, { code: err.code, cause: err });
}
