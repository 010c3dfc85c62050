/**
 * Opens a SPDY upgrade to a kubelet's streaming server: TLS with the API server's
 * kubelet client certificate, an HTTP/1.1 request asking for `Upgrade: SPDY/3.1` with
 * the wanted stream protocol, and the 101 answer read off the connection. A refusal
 * becomes a Status error carrying the kubelet's code and text.
 */
import type { TLSSocket } from 'node:tls';
import { connect as tlsConnect } from 'node:tls';
import { StatusError, serviceUnavailable } from '../../api/status.js';

/** The TLS identity the API server presents to kubelets, and the CA their serving certificates come from. */
export interface KubeletClientConfig {
  certPem: string;
  keyPem: string;
  caPem: string;
}

/** Where one kubelet listens. */
export interface KubeletEndpoint {
  host: string;
  port: number;
}

/** Longest response head (and error body) read from a kubelet. */
const MAX_ANSWER_BYTES = 64 * 1024;
/** How long a kubelet may take to answer the upgrade. */
const ANSWER_TIMEOUT_MS = 60_000;

/** A kubelet's error answer as a Status with the same code. */
export function kubeletError(code: number, text: string): StatusError {
  const reason = code === 400 ? 'BadRequest' : code === 403 ? 'Forbidden' : code === 404 ? 'NotFound' : 'InternalError';
  return new StatusError(code, reason, text.trim());
}

/** An upgraded kubelet connection and the stream protocol it chose. */
export interface KubeletStream {
  socket: TLSSocket;
  protocol: string;
}

function connectTls(endpoint: KubeletEndpoint, kubelet: KubeletClientConfig): Promise<TLSSocket> {
  return new Promise((ok, fail) => {
    const socket = tlsConnect({ host: endpoint.host, port: endpoint.port, cert: kubelet.certPem, key: kubelet.keyPem, ca: kubelet.caPem, servername: '' });
    socket.once('error', (err) => fail(serviceUnavailable(`error dialing backend: ${err.message}`)));
    socket.once('secureConnect', () => ok(socket));
  });
}

/** Reads the response head; on a refusal also the body (until Content-Length or the end). */
function readAnswer(socket: TLSSocket): Promise<{ code: number; headers: Map<string, string>; rest: Buffer }> {
  return new Promise((ok, fail) => {
    let received = Buffer.alloc(0);
    let head: { code: number; headers: Map<string, string>; bodyAt: number; length: number } | undefined;
    const timer = setTimeout(() => settle(() => fail(serviceUnavailable('the kubelet did not answer the upgrade request'))), ANSWER_TIMEOUT_MS);
    const settle = (then: () => void): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onEnd);
      // Whoever takes the upgraded connection resumes it.
      socket.pause();
      then();
    };
    const onEnd = (): void => {
      if (head === undefined) settle(() => fail(serviceUnavailable('the kubelet closed the connection without answering')));
      else settle(() => ok({ code: head!.code, headers: head!.headers, rest: received.subarray(head!.bodyAt) }));
    };
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      if (head === undefined) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) {
          if (received.length > MAX_ANSWER_BYTES) settle(() => fail(serviceUnavailable('the kubelet answer is too large')));
          return;
        }
        const lines = received.subarray(0, end).toString('latin1').split('\r\n');
        const code = Number(lines[0]?.split(' ')[1] ?? 0);
        const headers = new Map<string, string>();
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(':');
          if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        }
        head = { code, headers, bodyAt: end + 4, length: Number(headers.get('content-length') ?? -1) };
      }
      const body = received.length - head.bodyAt;
      if (head.code === 101 || (head.length >= 0 && body >= head.length) || body > MAX_ANSWER_BYTES) onEnd();
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', onEnd);
  });
}

/**
 * Asks the kubelet at `endpoint` to upgrade `method path` to SPDY/3.1 with one of
 * `protocols` (X-Stream-Protocol-Version); resolves to the upgraded connection (bytes
 * after the 101 head are put back) or rejects with the kubelet's error as a Status.
 */
export async function upgradeToKubelet(
  endpoint: KubeletEndpoint,
  kubelet: KubeletClientConfig,
  method: string,
  path: string,
  protocols: readonly string[],
): Promise<KubeletStream> {
  const socket = await connectTls(endpoint, kubelet);
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${endpoint.host}:${endpoint.port}`, 'Connection: Upgrade', 'Upgrade: SPDY/3.1'];
  for (const protocol of protocols) lines.push(`X-Stream-Protocol-Version: ${protocol}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  const answer = await readAnswer(socket);
  if (answer.code !== 101) {
    socket.destroy();
    throw kubeletError(answer.code || 502, answer.rest.toString('utf8') || `the kubelet answered ${answer.code}`);
  }
  if (answer.rest.length > 0) socket.unshift(answer.rest);
  return { socket, protocol: answer.headers.get('x-stream-protocol-version') ?? '' };
}
