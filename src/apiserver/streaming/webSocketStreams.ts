/**
 * The WebSocket flavours of pods/exec, pods/attach and pods/portforward, served by the
 * API server itself rather than tunnelled to the kubelet: exec and attach over
 * v5/v4.channel.k8s.io are translated to SPDY, port-forward's SPDY-in-WebSocket is
 * unwrapped. The kubelet side is set up first, so its refusals reach the client as
 * plain HTTP errors (after which kubectl retries over SPDY and shows them).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CHANNEL_PROTOCOLS, KUBELET_REMOTE_COMMAND_PROTOCOL, RemoteCommandBridge, requestedStreams } from './channelTranslator.js';
import { type KubeletClientConfig, type KubeletEndpoint, upgradeToKubelet } from './kubeletUpgrade.js';
import { PORT_FORWARD_PROTOCOL, TUNNELED_PORT_FORWARD_PROTOCOL, tunnelPortForward } from './portForwardTunnel.js';
import { acceptWebSocket, chooseSubprotocol, isWebSocketRequest } from './webSocketAccept.js';

/** Counters of upstream's apiserver_stream_translator_requests_total and apiserver_stream_tunnel_requests_total. */
export interface StreamRequestCounters {
  streamTranslatorRequests: { inc(labels: { code: string }): void };
  streamTunnelRequests: { inc(labels: { code: string }): void };
}

/** One WebSocket streaming request: the client's side, and where its kubelet is. */
export interface WebSocketStreamRequest {
  req: IncomingMessage;
  /** The client connection. */
  socket: Duplex;
  /** Takes `socket` away from the HTTP response that would otherwise answer on it (called just before the handshake). */
  detach(): void;
  subresource: string;
  query: URLSearchParams;
  endpoint: KubeletEndpoint;
  kubelet: KubeletClientConfig;
  /** Kubelet path (with query) of the request. */
  kubeletPath: string;
  counters?: StreamRequestCounters;
}

/** The WebSocket subprotocol this API server serves `req` with itself, if any (otherwise the request is tunnelled unchanged). */
export function servedSubprotocol(req: IncomingMessage, subresource: string): string | undefined {
  if (!isWebSocketRequest(req)) return undefined;
  if (subresource === 'portforward') return chooseSubprotocol(req, [TUNNELED_PORT_FORWARD_PROTOCOL]);
  if (subresource === 'exec' || subresource === 'attach') return chooseSubprotocol(req, CHANNEL_PROTOCOLS);
  return undefined;
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? String(code) : '500';
}

/**
 * Serves a WebSocket streaming request whose subprotocol `servedSubprotocol` chose.
 * Rejects (nothing written to the client yet) when the kubelet refuses or cannot be
 * reached; a failed handshake is answered by the WebSocket library itself.
 */
export async function serveWebSocketStream(request: WebSocketStreamRequest, protocol: string): Promise<void> {
  const { req, socket, endpoint, kubelet, kubeletPath, counters } = request;
  if (request.subresource === 'portforward') {
    const count = (code: string): void => counters?.streamTunnelRequests.inc({ code });
    try {
      const upstream = await upgradeToKubelet(endpoint, kubelet, 'POST', kubeletPath, [PORT_FORWARD_PROTOCOL]);
      request.detach();
      const ws = await acceptWebSocket(req, socket, protocol).catch(() => undefined);
      if (ws === undefined) {
        upstream.socket.destroy();
        count('400');
        return;
      }
      tunnelPortForward(ws, upstream, () => count('200'));
    } catch (err) {
      count(codeOf(err));
      throw err;
    }
    return;
  }
  const count = (code: string): void => counters?.streamTranslatorRequests.inc({ code });
  try {
    const upstream = await upgradeToKubelet(endpoint, kubelet, 'POST', kubeletPath, [KUBELET_REMOTE_COMMAND_PROTOCOL]);
    const bridge = await RemoteCommandBridge.open(upstream, requestedStreams(request.query), () => count('200'));
    request.detach();
    const ws = await acceptWebSocket(req, socket, protocol).catch(() => undefined);
    if (ws === undefined) {
      bridge.abandon();
      count('400');
      return;
    }
    bridge.join(ws, protocol);
  } catch (err) {
    count(codeOf(err));
    throw err;
  }
}
