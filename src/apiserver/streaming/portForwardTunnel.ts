/**
 * Port-forward over WebSocket as kubectl 1.31+ does it (subprotocol
 * "SPDY/3.1+portforward.k8s.io", as upstream's StreamTunnel serves it): the client
 * speaks SPDY inside binary WebSocket messages; the API server upgrades to SPDY at the
 * kubelet and from then on carries the SPDY bytes between the two unchanged, with
 * backpressure both ways.
 */
import { pipeline } from 'node:stream';
import { createWebSocketStream, type WebSocket } from 'ws';
import type { KubeletStream } from './kubeletUpgrade.js';

/** The port-forward protocol asked of the kubelet. */
export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** The WebSocket subprotocol that tunnels it. */
export const TUNNELED_PORT_FORWARD_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;

/** Carries bytes between the client's WebSocket and the upgraded kubelet connection until either ends; `onEnd` then runs once. */
export function tunnelPortForward(ws: WebSocket, kubelet: KubeletStream, onEnd: () => void): void {
  const client = createWebSocketStream(ws);
  const backend = kubelet.socket;
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    backend.destroy();
    client.destroy();
    onEnd();
  };
  pipeline(client, backend, end);
  pipeline(backend, client, end);
  backend.resume();
}
