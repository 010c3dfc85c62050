/**
 * A transparent tunnel for HTTP Upgrade requests (SPDY and WebSocket streams of
 * exec, attach and port-forward): the client's request is replayed to a backend with
 * its upgrade headers, and from then on bytes are piped both ways unchanged, the
 * backend's 101 (or its error answer) included.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** Request headers never forwarded to a backend: its own Host is set, and credentials stay with the first hop. */
const DROPPED_HEADERS = new Set(['host', 'authorization', 'proxy-authorization', 'impersonate-user', 'impersonate-group', 'impersonate-uid']);

/** The raw HTTP/1.1 request head for `method` on `path` at `host`, carrying `headers` minus the dropped ones. */
export function requestHead(method: string, path: string, host: string, headers: IncomingHttpHeaders): string {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED_HEADERS.has(name.toLowerCase()) || name.toLowerCase().startsWith('impersonate-extra-')) continue;
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * Replays the upgrade request `req` (whose connection is `client`, with `head` already
 * read past the request head) to `backend` as `method path`, then pipes both ways until
 * either side closes; either side's end or error ends the other.
 */
export function tunnelUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, backend: Duplex, path: string, host: string): void {
  backend.write(requestHead(req.method ?? 'GET', path, host, req.headers));
  if (head.length > 0) backend.write(head);
  const closeBoth = (): void => {
    client.destroy();
    backend.destroy();
  };
  client.on('error', closeBoth);
  backend.on('error', closeBoth);
  client.on('close', closeBoth);
  backend.on('close', closeBoth);
  client.pipe(backend);
  backend.pipe(client);
}

/** Answers an upgrade request on its raw connection with a plain-text error and closes it. */
export function rejectUpgrade(client: Duplex, code: number, message: string, contentType = 'text/plain; charset=utf-8'): void {
  const body = Buffer.from(message);
  client.end(
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${message}`,
  );
}
