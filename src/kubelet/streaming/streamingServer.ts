/**
 * The kubelet's streaming server: HTTPS on the kubelet port, requiring a client
 * certificate from the cluster CA, with upstream's paths:
 *   GET /containerLogs/{ns}/{pod}/{container}  — the container's CRI log (logOptions.ts)
 *   /exec/{ns}/{pod}/{container}, /attach/{ns}/{pod}/{container}, /portForward/{ns}/{pod}
 *     — upgrade requests, tunnelled unchanged to the URL the runtime's CRI stream server
 *       hands out for them (SPDY or WebSocket, whatever the client and runtime agree on;
 *       the API server translates newer kubectl's WebSocket protocols to SPDY first).
 */
import { connect } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { rejectUpgrade, tunnelUpgrade } from '../../client/upgradeTunnel.js';
import type { CriClient } from '../../runtime/cri/client.js';
import { LogOptionsError, parseLogOptions } from './logOptions.js';
import { streamContainerLog } from './logReader.js';
import { NoPreviousInstance, NotFoundInRuntime, findContainer, findSandbox } from './podContainers.js';

/** TLS material and policy of the streaming server. */
export interface StreamingServerOptions {
  cri: CriClient;
  /** Serving certificate and key (PEM), issued by the cluster CA. */
  certPem: string;
  keyPem: string;
  /** The CA client certificates must come from (PEM). */
  clientCaPem: string;
  /** Which client certificate subjects may use the server; default: CN kube-apiserver-kubelet-client or O system:masters. */
  mayUse?: (subject: { commonName: string; organizations: string[] }) => boolean;
}

/** The CN of the API server's client certificate for kubelets. */
export const APISERVER_KUBELET_CLIENT = 'kube-apiserver-kubelet-client';

function defaultMayUse(subject: { commonName: string; organizations: string[] }): boolean {
  return subject.commonName === APISERVER_KUBELET_CLIENT || subject.organizations.includes('system:masters');
}

/** A request answered with an HTTP error code and a plain-text message. */
class HttpError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

function queryFlag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value === 'true' || value === '1';
}

/** Path segments after a route name, decoded; undefined when the count is wrong. */
function routeArgs(path: string, route: string, count: number): string[] | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] !== route || parts.length !== count + 1) return undefined;
  return parts.slice(1).map(decodeURIComponent);
}

function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof NoPreviousInstance) return new HttpError(400, err.message);
  if (err instanceof NotFoundInRuntime) return new HttpError(404, err.message);
  if (err instanceof LogOptionsError) return new HttpError(400, err.message);
  return new HttpError(500, err instanceof Error ? err.message : String(err));
}

/** The kubelet streaming server; `listen` to start, `close` to stop (ends open streams). */
export class StreamingServer {
  private readonly server: Server;
  private readonly abort = new AbortController();
  private readonly mayUse: NonNullable<StreamingServerOptions['mayUse']>;

  constructor(private readonly options: StreamingServerOptions) {
    this.mayUse = options.mayUse ?? defaultMayUse;
    this.server = createServer(
      { cert: options.certPem, key: options.keyPem, ca: [options.clientCaPem], requestCert: true, rejectUnauthorized: true },
      (req, res) => void this.handle(req, res),
    );
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.handleUpgrade(req, socket, head));
  }

  /** Listens on `host:port` (0: any free port); resolves to the port. */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((ok, fail) => {
      this.server.once('error', fail);
      this.server.listen(port, host, () => {
        this.server.off('error', fail);
        ok();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops listening and ends every open connection. */
  async close(): Promise<void> {
    this.abort.abort();
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private authorize(req: IncomingMessage): void {
    const cert = (req.socket as TLSSocket).getPeerCertificate();
    const subject = cert?.subject as Record<string, string | string[]> | undefined;
    const cn = subject?.CN;
    const o = subject?.O;
    const identity = { commonName: Array.isArray(cn) ? (cn[0] ?? '') : (cn ?? ''), organizations: o === undefined ? [] : Array.isArray(o) ? o : [o] };
    if (!this.mayUse(identity)) throw new HttpError(403, `Forbidden (user=${identity.commonName})`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      this.authorize(req);
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const logArgs = routeArgs(url.pathname, 'containerLogs', 3);
      if (logArgs !== undefined) {
        if (req.method !== 'GET') throw new HttpError(405, 'method not allowed');
        const [namespace = '', pod = '', container = ''] = logArgs;
        await this.serveLogs(res, namespace, pod, container, url.searchParams);
        return;
      }
      const streaming = ['exec', 'attach', 'portForward'].includes(url.pathname.split('/')[1] ?? '');
      throw streaming ? new HttpError(400, 'Upgrade request required') : new HttpError(404, '404 page not found');
    } catch (err) {
      const error = toHttpError(err);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(error.code, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(error.message);
    }
  }

  private async serveLogs(res: ServerResponse, namespace: string, pod: string, name: string, query: URLSearchParams): Promise<void> {
    const options = parseLogOptions(query);
    const { cri } = this.options;
    const container = await findContainer(cri, namespace, pod, name, options.previous);
    const status = await cri.containerStatus(container.id);
    const clientGone = new AbortController();
    const signal = AbortSignal.any([clientGone.signal, this.abort.signal]);
    res.once('close', () => clientGone.abort());
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    // With follow, flush each line as it comes rather than waiting for a buffer to fill.
    res.flushHeaders();
    const sink = (text: string): Promise<void> =>
      new Promise((ok) => {
        if (res.write(text)) ok();
        else res.once('drain', ok);
      });
    const isRunning = async (): Promise<boolean> => (await cri.containerStatus(container.id).catch(() => undefined))?.state === 'CONTAINER_RUNNING';
    await streamContainerLog(status.logPath, options, sink, { isRunning, signal });
    res.end();
  }

  private async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    try {
      this.authorize(req);
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const target = new URL(await this.streamUrl(url));
      const backend = connect(Number(target.port), target.hostname);
      await new Promise<void>((ok, fail) => {
        backend.once('connect', ok);
        backend.once('error', fail);
      });
      tunnelUpgrade(req, socket, head, backend, target.pathname + target.search, target.host);
    } catch (err) {
      const error = toHttpError(err);
      rejectUpgrade(socket, error.code, error.message);
    }
  }

  /** Asks the runtime for the stream URL of an exec, attach or port-forward request. */
  private async streamUrl(url: URL): Promise<string> {
    const { cri } = this.options;
    const query = url.searchParams;
    const route = url.pathname.split('/')[1] ?? '';
    if (route === 'portForward') {
      const args = routeArgs(url.pathname, 'portForward', 2);
      if (args === undefined) throw new HttpError(404, '404 page not found');
      const [namespace = '', pod = ''] = args;
      const sandbox = await findSandbox(cri, namespace, pod);
      const ports = query.getAll('port').map(Number).filter((p) => Number.isInteger(p) && p > 0);
      return cri.portForward(sandbox.id, ports);
    }
    if (route !== 'exec' && route !== 'attach') throw new HttpError(404, '404 page not found');
    const args = routeArgs(url.pathname, route, 3);
    if (args === undefined) throw new HttpError(404, '404 page not found');
    const [namespace = '', pod = '', name = ''] = args;
    const container = await findContainer(cri, namespace, pod, name);
    if (container.state !== 'CONTAINER_RUNNING') throw new HttpError(400, `container ${name} is not running`);
    const tty = queryFlag(query, 'tty');
    const streams = { tty, stdin: queryFlag(query, 'stdin'), stdout: queryFlag(query, 'stdout'), stderr: queryFlag(query, 'stderr') && !tty };
    if (!streams.stdin && !streams.stdout && !streams.stderr) throw new HttpError(400, 'you must specify at least 1 of stdin, stdout, stderr');
    if (route === 'attach') return cri.attach({ containerId: container.id, ...streams });
    const cmd = query.getAll('command');
    if (cmd.length === 0) throw new HttpError(400, 'you must specify at least one command for the container');
    return cri.exec({ containerId: container.id, cmd, ...streams });
  }
}
