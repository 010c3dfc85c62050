/**
 * Where a probe or hook handler reaches the container: ports given by name resolve
 * through the container's ports; the host defaults to the pod IP (for host-network
 * pods and pods without an IP yet, 127.0.0.1).
 */
import type { Container, HTTPGetAction } from 'kubernetes-types/core/v1.js';
import type { HttpTarget } from './httpCheck.js';

/** A port number, or the containerPort of the container port named `port`; undefined when neither. */
export function resolvePort(port: number | string | undefined, container: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (port === undefined) return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** The host a handler connects to when its spec names none. */
export function defaultHost(podIP: string | undefined, hostNetwork: boolean): string {
  return hostNetwork || podIP === undefined || podIP === '' ? '127.0.0.1' : podIP;
}

/** The full target of an httpGet action, or an error message when its port does not resolve. */
export function httpTarget(action: HTTPGetAction, container: Container, host: string): HttpTarget | string {
  const port = resolvePort(action.port, container);
  if (port === undefined || port <= 0 || port > 65535) return `invalid port: ${String(action.port)}`;
  return {
    scheme: action.scheme === 'HTTPS' ? 'HTTPS' : 'HTTP',
    host: action.host !== undefined && action.host !== '' ? action.host : host,
    port,
    path: action.path ?? '/',
    headers: (action.httpHeaders ?? []).map((h) => ({ name: h.name, value: h.value })),
  };
}
