/**
 * The pod subresources served by the pod's kubelet: `pods/log` (a plain GET whose
 * body is streamed back), and `pods/exec`, `pods/attach`, `pods/portforward` (HTTP
 * Upgrade requests: SPDY tunnelled unchanged to the kubelet's streaming server, the
 * WebSocket protocols of newer kubectl translated by ../../streaming/). The pod
 * must be bound; the kubelet's address comes from its Node object; the API server
 * authenticates to the kubelet with its kubelet client certificate.
 */
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { StatusError, badRequest, internalError, serviceUnavailable } from '../../../api/status.js';
import { tunnelUpgrade } from '../../../client/upgradeTunnel.js';
import type { ResourceStore } from '../../generic/resourceStore.js';
import { type KubeletClientConfig, type KubeletEndpoint, kubeletError } from '../../streaming/kubeletUpgrade.js';
import { type StreamRequestCounters, serveWebSocketStream, servedSubprotocol } from '../../streaming/webSocketStreams.js';
import type { ResourceRequest } from '../context.js';

export type { KubeletClientConfig };

const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';
const DEFAULT_KUBELET_PORT = 10250;
/** Query parameters of pods/log the kubelet understands (`container` travels in the path). */
const LOG_PARAMETERS = ['follow', 'previous', 'sinceSeconds', 'sinceTime', 'tailLines', 'timestamps', 'limitBytes'];

/** The container a request is about: `container` from the query, the annotated default, or the only one. */
export function chooseContainer(pod: Pod, requested: string | null): string {
  const name = pod.metadata?.name ?? '';
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  const inits = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const ephemeral = (pod.spec?.ephemeralContainers ?? []).map((c) => c.name);
  if (requested !== null && requested !== '') {
    if (![...containers, ...inits, ...ephemeral].includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated !== undefined && containers.includes(annotated)) return annotated;
  if (containers.length === 1 && containers[0] !== undefined) return containers[0];
  let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
  if (inits.length > 0) message += ` or one of the init containers: [${inits.join(' ')}]`;
  if (ephemeral.length > 0) message += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
  throw badRequest(message);
}

/** The kubelet endpoint of a Node: its InternalIP (else its first address) and daemonEndpoints' kubelet port. */
export function kubeletEndpointOf(node: Node): KubeletEndpoint {
  const addresses = node.status?.addresses ?? [];
  const address = addresses.find((a) => a.type === 'InternalIP') ?? addresses[0];
  if (address === undefined) throw badRequest(`node ${node.metadata?.name ?? ''} has no address`);
  return { host: address.address, port: node.status?.daemonEndpoints?.kubeletEndpoint?.Port || DEFAULT_KUBELET_PORT };
}

/** The kubelet path (with query) for a pod subresource request. */
function kubeletPath(subresource: string, pod: Pod, query: URLSearchParams): string {
  const ns = encodeURIComponent(pod.metadata?.namespace ?? '');
  const name = encodeURIComponent(pod.metadata?.name ?? '');
  const forwarded = new URLSearchParams();
  if (subresource === 'portforward') {
    for (const port of query.getAll('ports')) forwarded.append('port', port);
    return `/portForward/${ns}/${name}${forwarded.size > 0 ? `?${forwarded}` : ''}`;
  }
  const container = encodeURIComponent(chooseContainer(pod, query.get('container')));
  if (subresource === 'log') {
    for (const key of LOG_PARAMETERS) for (const value of query.getAll(key)) forwarded.append(key, value);
    return `/containerLogs/${ns}/${name}/${container}${forwarded.size > 0 ? `?${forwarded}` : ''}`;
  }
  for (const [key, value] of query) if (key !== 'container') forwarded.append(key, value);
  return `/${subresource}/${ns}/${name}/${container}${forwarded.size > 0 ? `?${forwarded}` : ''}`;
}

async function podAndEndpoint(r: ResourceRequest, nodes: ResourceStore): Promise<{ pod: Pod; endpoint: KubeletEndpoint }> {
  const pod = (await r.store.get(r.requestInfo.namespace, r.requestInfo.name)) as Pod;
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw badRequest(`pod ${r.requestInfo.name} does not have a host assigned`);
  const node = (await nodes.get('', nodeName)) as Node;
  return { pod, endpoint: kubeletEndpointOf(node) };
}

function streamLog(r: ResourceRequest, endpoint: KubeletEndpoint, path: string, kubelet: KubeletClientConfig): Promise<void> {
  return new Promise<void>((done, fail) => {
    const outgoing = httpsRequest(
      { host: endpoint.host, port: endpoint.port, path, method: 'GET', cert: kubelet.certPem, key: kubelet.keyPem, ca: kubelet.caPem, servername: '' },
      (incoming) => {
        const code = incoming.statusCode ?? 500;
        if (code !== 200) {
          let text = '';
          incoming.setEncoding('utf8');
          incoming.on('data', (chunk: string) => void (text += chunk));
          incoming.on('end', () => fail(kubeletError(code, text)));
          incoming.on('error', fail);
          return;
        }
        r.res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
        r.res.flushHeaders();
        incoming.pipe(r.res);
        incoming.on('end', done);
        incoming.on('error', () => {
          r.res.destroy();
          done();
        });
      },
    );
    r.res.on('close', () => outgoing.destroy());
    outgoing.on('error', (err) => fail(serviceUnavailable(`error dialing backend: ${err.message}`)));
    outgoing.end();
  });
}

function tunnelToKubelet(r: ResourceRequest, socket: Duplex, endpoint: KubeletEndpoint, path: string, kubelet: KubeletClientConfig): Promise<void> {
  return new Promise<void>((done, fail) => {
    const backend = tlsConnect({ host: endpoint.host, port: endpoint.port, cert: kubelet.certPem, key: kubelet.keyPem, ca: kubelet.caPem, servername: '' });
    backend.once('error', (err) => fail(serviceUnavailable(`error dialing backend: ${err.message}`)));
    backend.once('secureConnect', () => {
      r.res.detachSocket(socket as Parameters<typeof r.res.detachSocket>[0]);
      tunnelUpgrade(r.req, socket, Buffer.alloc(0), backend, path, `${endpoint.host}:${endpoint.port}`);
      done();
    });
  });
}

/**
 * Serves pods/log, pods/exec, pods/attach and pods/portforward. `upgraded` is the raw
 * connection when the request came as an HTTP Upgrade; exec, attach and port-forward
 * need one (400 otherwise). WebSocket requests in a protocol the API server translates
 * (see webSocketStreams.ts) are served here, counted in `counters`; other upgrades are
 * tunnelled unchanged. Without a kubelet client configuration the API server cannot
 * reach kubelets (503).
 */
export async function handlePodProxy(
  r: ResourceRequest,
  nodes: ResourceStore,
  kubelet: KubeletClientConfig | undefined,
  upgraded: Duplex | undefined,
  counters?: StreamRequestCounters,
): Promise<void> {
  const subresource = r.requestInfo.subresource;
  const { pod, endpoint } = await podAndEndpoint(r, nodes);
  const path = kubeletPath(subresource, pod, r.query);
  if (kubelet === undefined) throw serviceUnavailable('the API server has no kubelet client credentials');
  if (subresource === 'log') return streamLog(r, endpoint, path, kubelet);
  if (upgraded === undefined) throw badRequest('Upgrade request required');
  try {
    const protocol = servedSubprotocol(r.req, subresource);
    if (protocol !== undefined) {
      const detach = (): void => r.res.detachSocket(upgraded as Parameters<typeof r.res.detachSocket>[0]);
      const request = { req: r.req, socket: upgraded, detach, subresource, query: r.query, endpoint, kubelet, kubeletPath: path, counters };
      await serveWebSocketStream(request, protocol);
      return;
    }
    await tunnelToKubelet(r, upgraded, endpoint, path, kubelet);
  } catch (err) {
    throw err instanceof StatusError ? err : internalError(err);
  }
}
