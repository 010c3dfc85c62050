/**
 * The benchmark's API clients against a `k8ts server`: pools of independent clients
 * (one keep-alive TLS connection each, admin client certificate from the kubeconfig)
 * that create 1 KiB ConfigMaps, in two flavours: the project's RestClient over
 * HttpsTransport, and bare node:https with a keep-alive Agent (to show client cost).
 */
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import type { KubeObject } from '../../src/api/object.js';
import type { KubeconfigCredentials } from '../../src/cli/kubeconfig.js';
import { HttpsTransport, RestClient, resourcePath } from '../../src/client/index.js';
import type { ResourceTarget } from '../../src/client/index.js';

/** 1 KiB of printable, incompressible text: the payload of every benchmark ConfigMap and etcd value. */
export const PAYLOAD_1KIB = randomBytes(768).toString('base64');

/** ConfigMaps in `namespace`. */
export function configMapsIn(namespace: string): ResourceTarget {
  return { group: '', version: 'v1', resource: 'configmaps', namespace };
}

const NAMESPACES: ResourceTarget = { group: '', version: 'v1', resource: 'namespaces' };

/** A benchmark ConfigMap called `name`: one key holding PAYLOAD_1KIB. */
export function benchConfigMap(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { payload: PAYLOAD_1KIB } };
}

/** Which client library a pool uses. */
export type ClientKind = 'RestClient' | 'node:https';

/** `size` independent clients, already connected; `create` sends from client `worker`. */
export interface ClientPool {
  kind: ClientKind;
  /** Creates benchConfigMap(name) in `namespace` through client `worker`; rejects unless the server answers 201. */
  create(worker: number, namespace: string, name: string): Promise<void>;
  /** Closes every connection of the pool. */
  close(): void;
}

/** One RestClient with its own transport, for setup work (namespaces, lists). */
export function restClient(credentials: KubeconfigCredentials): RestClient {
  const transport = new HttpsTransport({
    server: credentials.server,
    caPem: credentials.caPem,
    certPem: credentials.clientCertPem,
    keyPem: credentials.clientKeyPem,
    userAgent: 'k8ts-bench',
  });
  return new RestClient(transport, { maxRetries: 0 });
}

/** Creates namespace `name`. */
export async function createNamespace(client: RestClient, name: string): Promise<void> {
  await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/**
 * Opens `size` RestClients, each over its own HttpsTransport; each has done one GET
 * of `namespace` (so TLS handshakes are not part of any measurement).
 */
export async function restClientPool(credentials: KubeconfigCredentials, size: number, namespace: string): Promise<ClientPool> {
  const clients = Array.from({ length: size }, () => restClient(credentials));
  await Promise.all(clients.map((client) => client.get(NAMESPACES, namespace)));
  return {
    kind: 'RestClient',
    async create(worker, ns, name) {
      await clientAt(clients, worker).create(configMapsIn(ns), benchConfigMap(name));
    },
    close() {
      for (const client of clients) client.transport.close?.();
    },
  };
}

/**
 * Opens `size` bare node:https clients, each with its own keep-alive Agent holding
 * one socket; each has done one GET of `namespace`.
 */
export async function nodeHttpsPool(credentials: KubeconfigCredentials, size: number, namespace: string): Promise<ClientPool> {
  const base = new URL(credentials.server);
  const agents = Array.from(
    { length: size },
    () =>
      new https.Agent({
        keepAlive: true,
        maxSockets: 1,
        ca: credentials.caPem,
        cert: credentials.clientCertPem,
        key: credentials.clientKeyPem,
      }),
  );
  const send = (agent: https.Agent, method: string, path: string, body?: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { accept: 'application/json' };
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = https.request({ hostname: base.hostname, port: base.port, path, method, headers, agent }, (res) => {
        res.on('error', reject);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.resume();
      });
      req.on('error', reject);
      req.end(body);
    });
  const expect = async (want: number, sent: Promise<number>, what: string): Promise<void> => {
    const status = await sent;
    if (status !== want) throw new Error(`${what}: HTTP ${status}, expected ${want}`);
  };
  const namespacePath = resourcePath(NAMESPACES, namespace);
  await Promise.all(agents.map((agent) => expect(200, send(agent, 'GET', namespacePath), `GET ${namespacePath}`)));
  return {
    kind: 'node:https',
    async create(worker, ns, name) {
      const path = resourcePath(configMapsIn(ns));
      await expect(201, send(clientAt(agents, worker), 'POST', path, JSON.stringify(benchConfigMap(name))), `POST ${path} ${name}`);
    },
    close() {
      for (const agent of agents) agent.destroy();
    },
  };
}

function clientAt<T>(clients: readonly T[], worker: number): T {
  const client = clients[worker];
  if (client === undefined) throw new Error(`no client ${worker} in a pool of ${clients.length}`);
  return client;
}

/** One timed LIST: wall time to the last item decoded, item count and pages fetched. */
export interface ListTiming {
  ms: number;
  items: number;
  pages: number;
}

/** Lists every ConfigMap of `namespace` through `client`, in pages of `limit` when given. */
export async function timeList(client: RestClient, namespace: string, limit?: number): Promise<ListTiming> {
  const started = performance.now();
  let items = 0;
  let pages = 0;
  let token: string | undefined;
  do {
    const page = await client.list(configMapsIn(namespace), { limit, continue: token });
    items += page.items.length;
    pages += 1;
    token = page.metadata.continue === '' ? undefined : page.metadata.continue;
  } while (token !== undefined && pages < 100_000);
  return { ms: performance.now() - started, items, pages };
}
