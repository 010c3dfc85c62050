/**
 * The server side of a WebSocket handshake on an API server connection: which
 * subprotocol a client offered that we speak, and completing the upgrade with it.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** True when `req` asks to upgrade to a WebSocket. */
export function isWebSocketRequest(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** The first of `supported` (in our order of preference) that the client listed in Sec-WebSocket-Protocol, if any. */
export function chooseSubprotocol(req: IncomingMessage, supported: readonly string[]): string | undefined {
  const offered = new Set((req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()));
  return supported.find((p) => offered.has(p));
}

/**
 * Completes the handshake of `req` on `socket` (bytes past the request head already put
 * back on it) with `protocol`; resolves to the open WebSocket. An invalid handshake is
 * answered with 400 by the ws library and rejects.
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, protocol: string): Promise<WebSocket> {
  // The ws library insists that offered subprotocols be RFC 7230 tokens, which
  // "SPDY/3.1+portforward.k8s.io" is not; the choice is made already, so it sees one token only.
  req.headers['sec-websocket-protocol'] = 'chosen';
  const server = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: () => protocol });
  return new Promise((ok, fail) => {
    server.once('wsClientError', (err) => fail(err));
    socket.once('close', () => fail(new Error('the client went away during the WebSocket handshake')));
    server.handleUpgrade(req, socket, Buffer.alloc(0), (ws) => ok(ws));
  });
}
