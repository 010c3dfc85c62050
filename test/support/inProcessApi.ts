/**
 * Test support: a real ApiServer over the memory store, served on plain HTTP on a
 * loopback port, every request authenticated as a fixed user (admin by default) and
 * authorized by the cluster policy.
 * For fast black-box tests of API semantics and for client-library tests.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiServer } from '../../src/apiserver/apiServer.js';
import type { RequestAuthenticator } from '../../src/apiserver/authn/requestAuthenticator.js';
import type { UserInfo } from '../../src/apiserver/authn/user.js';
import { tokenKeys } from '../../src/api/serviceaccount/tokenSigner.js';
import type { KubeletClientConfig } from '../../src/apiserver/handlers/subresources/podProxy.js';
import { openApiRoutes } from '../../src/apiserver/openapiRoutes.js';
import { openMemoryStore } from '../../src/storage/memory/memoryStore.js';

/** The response of `InProcessApi.request`. */
export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body (undefined when the body is not JSON). */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A running in-process API server. */
export interface InProcessApi {
  url: string;
  api: ApiServer;
  /** Sends one request; `body` objects are sent as JSON unless `contentType` says otherwise. */
  request(method: string, path: string, options?: { body?: unknown; contentType?: string; accept?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
  /** Discards the store's history up to now: watches and reads from older resourceVersions get 410. */
  compact(): Promise<void>;
  /** Cuts every open connection (watches included) as a network failure would; the server keeps listening. */
  dropConnections(): void;
  stop(): Promise<void>;
}

/** Choices of the in-process server; absent = the ApiServer's defaults. */
export interface InProcessApiOptions {
  /** Events each resource's watch cache keeps; small values make old resourceVersions fall out of it. */
  watchCacheSize?: number;
  /** How the API server reaches kubelets (pods/log, exec, attach, portforward). */
  kubeletClient?: KubeletClientConfig;
  /** Runs the ServiceAccount admission plugin on pod creates (default off: no controller creates `default` accounts here). */
  serviceAccountAdmission?: boolean;
  /** The service-account signing key (PKCS#8 PEM), for TokenRequest. */
  serviceAccountKeyPem?: string;
  /** Replaces the fixed-user authenticator (e.g. to authenticate service-account tokens). */
  authenticator?: (api: () => ApiServer) => RequestAuthenticator;
}

/** The admin user: may do everything. */
export const ADMIN: UserInfo = { username: 'admin', groups: ['system:masters', 'system:authenticated'] };

/** Starts an API server over a fresh memory store. */
export async function startInProcessApi(user: UserInfo = ADMIN, options: InProcessApiOptions = {}): Promise<InProcessApi> {
  const store = openMemoryStore();
  const authenticator = {
    apiAudiences: [],
    authenticate: async () => user,
    reviewToken: async () => ({ outcome: 'rejected' as const, error: 'no token authenticators in tests' }),
  };
  const api: ApiServer = new ApiServer({
    store,
    authenticator: options.authenticator?.(() => api) ?? authenticator,
    ...(options.serviceAccountAdmission === true ? {} : { disabledAdmissionPlugins: ['ServiceAccount'] }),
    ...(options.serviceAccountKeyPem !== undefined ? { serviceAccountKeys: tokenKeys(options.serviceAccountKeyPem) } : {}),
    advertiseAddress: '127.0.0.1:0',
    extraRoutes: openApiRoutes,
    ...(options.watchCacheSize !== undefined ? { watchCacheSize: options.watchCacheSize } : {}),
    ...(options.kubeletClient !== undefined ? { kubeletClient: options.kubeletClient } : {}),
  });
  await api.start();
  const server = createServer((req, res) => void api.handle(req, res));
  server.on('upgrade', (req, socket, head) => void api.handleUpgrade(req, socket, head));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    api,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.accept !== undefined) headers.accept = options.accept;
      let payload: string | undefined;
      if (options.body !== undefined) {
        payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
        headers['content-type'] = options.contentType ?? 'application/json';
      }
      const res = await fetch(url + path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: res.status, headers: res.headers, text, body };
    },
    async compact() {
      await store.compact(await store.currentRevision());
    },
    dropConnections() {
      server.closeAllConnections();
    },
    async stop() {
      api.stop();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await store.close();
    },
  };
}
