/**
 * The API server: one generic store and watch cache per served resource over a
 * Store, and the request pipeline authenticate → route → handle, with discovery,
 * health, version, OpenAPI and metrics endpoints. Transport-agnostic: `handle` takes
 * a Node request/response pair, from the HTTPS listener or any other source.
 */
import type { IncomingMessage } from 'node:http';
import { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../api/object.js';
import type { ResourceInfo } from '../api/resources.js';
import { RESOURCES, findResource, isVirtual } from '../api/resources.js';
import { StatusError, forbidden, methodNotAllowed, notFound, serviceUnavailable, unauthorized, type GroupResource } from '../api/status.js';
import type { TokenKeys } from '../api/serviceaccount/tokenSigner.js';
import type { Store } from '../storage/store.js';
import { aggregatedContentType, aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery/discovery.js';
import { managedFieldsRecorder } from './fieldmanager/recorder.js';
import type { GracefulDeletion } from './generic/resourceStore.js';
import { ResourceStore } from './generic/resourceStore.js';
import { anonymousMayReach, type RequestAuthenticator } from './authn/requestAuthenticator.js';
import { isAnonymous, type UserInfo } from './authn/user.js';
import type { Authorizer } from './authz/authorizer.js';
import { createClusterAuthorizer } from './authz/clusterPolicy.js';
import { rbacObjectsFromStores } from './authz/rbacFromStores.js';
import { forbiddenError } from './authz/forbidden.js';
import type { RequestBase, ResourceRequest } from './handlers/context.js';
import { handleDelete, handleDeleteCollection } from './handlers/delete.js';
import { handlePatch } from './handlers/patch.js';
import { handleGet, handleList } from './handlers/read.js';
import { handleReview } from './handlers/reviews.js';
import { handleBinding } from './handlers/subresources/binding.js';
import { handleEviction } from './handlers/subresources/eviction.js';
import { handleFinalize } from './handlers/subresources/finalize.js';
import { handlePodProxy, type KubeletClientConfig } from './handlers/subresources/podProxy.js';
import { handleScale } from './handlers/subresources/scale.js';
import { handleTokenRequest } from './handlers/subresources/token.js';
import { AdmissionChain } from './admission/chain.js';
import { admissionSources } from './admissionSources.js';
import { SYSTEM_PRIORITY_CLASSES } from './admission/priority.js';
import type { DefaultTolerationSecondsOptions } from './admission/defaultTolerationSeconds.js';
import { handleWatch } from './handlers/watch.js';
import { handleCreate, handleUpdate } from './handlers/write.js';
import type { HealthCheck } from './health.js';
import { evaluateHealth } from './health.js';
import { negotiateView } from './http/negotiate.js';
import { parseRequestInfo } from './http/requestInfo.js';
import { writeError, writeObject, writeText } from './http/respond.js';
import { ApiMetrics } from './metrics.js';
import { patchSchemaOfKind } from './openapi/patchSchemas.js';
import { strategyFor } from './registry/index.js';
import { WatchCache } from './watchcache/watchCache.js';

/** Namespaces that exist from the first start and can never be deleted. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;
const UNDELETABLE_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** The version the API reports: the Kubernetes API level k8ts implements. */
export const KUBERNETES_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-k8ts' } as const;

/** What the API server needs from its host process. */
export interface ApiServerOptions {
  store: Store;
  /** Authenticates requests (and answers TokenReviews). */
  authenticator: RequestAuthenticator;
  /** Authorizes requests and answers access reviews; default: the cluster policy of `createClusterAuthorizer`. */
  authorizer?: Authorizer;
  /** The address clients use (host:port), for /api's serverAddressByClientCIDRs. */
  advertiseAddress: string;
  /** How many recent events each resource's watch cache keeps. */
  watchCacheSize?: number;
  /** Extra endpoints (OpenAPI, …) answered before resource routing; return true when handled. */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) => Promise<boolean>;
  /** How the API server reaches kubelets (pods/log, exec, attach, portforward); without it those answer 503. */
  kubeletClient?: KubeletClientConfig;
  /** The service-account signing key; without it TokenRequest answers 503. */
  serviceAccountKeys?: TokenKeys;
  /** Admission plugins turned off (upstream `--disable-admission-plugins`): `ServiceAccount`, `LimitRanger`, `Priority`, `DefaultTolerationSeconds`, `ResourceQuota`. */
  disabledAdmissionPlugins?: readonly string[];
  /** Seconds of the default not-ready/unreachable tolerations (default 300 each). */
  defaultTolerationSeconds?: DefaultTolerationSecondsOptions;
}

/** Pods are deleted gracefully once bound to a node and not yet terminal. */
const podGracefulDeletion: GracefulDeletion = {
  gracePeriod(obj: KubeObject, requested: number | undefined): number {
    const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = (obj.status as { phase?: string } | undefined)?.phase;
    if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    return requested ?? spec.terminationGracePeriodSeconds ?? 30;
  },
};

/** The API server of one cluster. */
export class ApiServer {
  readonly metrics = new ApiMetrics();
  private readonly options: ApiServerOptions;
  private readonly stores = new Map<ResourceInfo, ResourceStore>();
  private readonly caches = new Map<string, WatchCache>();
  private readonly abort = new AbortController();
  private readonly healthChecks: HealthCheck[];
  private readonly authorizer: Authorizer;
  private readonly admission: AdmissionChain;
  private ready = false;

  constructor(options: ApiServerOptions) {
    this.options = options;
    this.authorizer = options.authorizer ?? createClusterAuthorizer(rbacObjectsFromStores((resource) => this.storeFor('rbac.authorization.k8s.io', 'v1', resource)));
    this.admission = new AdmissionChain(admissionSources(this), options.disabledAdmissionPlugins, options.defaultTolerationSeconds);
    for (const info of RESOURCES) {
      if (isVirtual(info)) continue;
      const prefix = `/registry/${info.storageResource}/`;
      let cache = this.caches.get(prefix);
      if (cache === undefined) {
        cache = new WatchCache(options.store, prefix, { windowSize: options.watchCacheSize ?? 1000 });
        this.caches.set(prefix, cache);
      }
      const store = new ResourceStore(info, {
        store: options.store,
        cache,
        strategy: strategyFor(info.group, info.resource),
        managedFields: managedFieldsRecorder(info, () => patchSchemaOfKind(info)),
        admitNamespace: (ns, name) => this.admitNamespace(ns, { group: info.group, resource: info.resource }, name),
        admitCreate: (ns, obj) => this.admission.mutate(info, ns, obj),
        validateCreate: (ns, obj, admit) => this.admission.validate(info, ns, obj, admit),
        validateUpdate: (_ns, obj) => this.admission.validateUpdate(info, obj),
        ...(info.group === '' && info.resource === 'pods' ? { graceful: podGracefulDeletion } : {}),
      });
      this.stores.set(info, store);
    }
    this.healthChecks = [
      { name: 'ping', check: () => true },
      { name: 'etcd', check: async () => (await options.store.currentRevision()) >= 0 },
      { name: 'informer-sync', check: () => this.ready },
    ];
  }

  /** Fills every watch cache and creates the system namespaces and priority classes. */
  async start(): Promise<void> {
    await Promise.all([...this.caches.values()].map((c) => c.ready()));
    await this.ensureSystemNamespaces();
    await this.ensureBootstrapObjects('scheduling.k8s.io', 'v1', 'priorityclasses', SYSTEM_PRIORITY_CLASSES as unknown as KubeObject[]);
    this.ready = true;
  }

  /** Stops watch caches and ends open watches. */
  stop(): void {
    this.abort.abort();
    for (const cache of this.caches.values()) cache.stop();
  }

  /** The generic store of a resource (for in-process components and tests). */
  storeFor(group: string, version: string, resource: string): ResourceStore | undefined {
    const info = findResource(group, version, resource);
    return info === undefined ? undefined : this.stores.get(info);
  }

  /** A core/v1 object as the watch cache (or, failing that, storage) has it; undefined when absent. */
  async getObject(resource: string, namespace: string, name: string): Promise<KubeObject | undefined> {
    const store = this.requireStore('', 'v1', resource);
    return store.cache.get(store.key(namespace, name)) ?? (await store.get(namespace, name).catch(() => undefined));
  }

  private requireStore(group: string, version: string, resource: string): ResourceStore {
    const store = this.storeFor(group, version, resource);
    if (store === undefined) throw new Error(`no store for ${resource}.${group}`);
    return store;
  }

  /**
   * Handles an HTTP Upgrade request (the Node server's 'upgrade' event) through the same
   * pipeline as `handle`; errors are written to the raw connection, which is then closed.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (head.length > 0) socket.unshift(head);
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Socket);
    res.once('finish', () => socket.end());
    return this.handle(req, res, socket);
  }

  /** Handles one HTTP request end to end; never throws. `upgraded` is the raw connection of an upgrade request. */
  async handle(req: IncomingMessage, res: ServerResponse, upgraded?: Duplex): Promise<void> {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'https://localhost');
    const requestInfo = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
    let code = 200;
    try {
      const user = await this.options.authenticator.authenticate({ socket: req.socket, headers: req.headers });
      if (user === undefined || (isAnonymous(user) && !anonymousMayReach(url.pathname))) throw unauthorized();
      await this.authorize(user, requestInfo, req.method ?? 'GET');
      if (!requestInfo.resourceRequest) {
        await this.handleNonResource(req, res, url, requestInfo.apiPrefix, requestInfo.group, requestInfo.version);
      } else {
        await this.handleResource(req, res, url, requestInfo, user, upgraded);
      }
      code = res.statusCode;
    } catch (err) {
      code = writeError(res, err);
    } finally {
      if (requestInfo.verb !== 'watch') {
        const labels = {
          verb: requestInfo.verb.toUpperCase(),
          group: requestInfo.group,
          version: requestInfo.version,
          resource: requestInfo.resource,
          subresource: requestInfo.subresource,
        };
        this.metrics.requests.inc({ ...labels, code: String(code) });
        this.metrics.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      }
    }
  }

  /** 403 unless the authorizer allows the request. */
  private async authorize(user: UserInfo, info: ReturnType<typeof parseRequestInfo>, method: string): Promise<void> {
    const attributes = {
      user,
      verb: info.resourceRequest ? info.verb : method.toLowerCase() === 'head' ? 'get' : method.toLowerCase(),
      resourceRequest: info.resourceRequest,
      group: info.group,
      version: info.version,
      resource: info.resource,
      subresource: info.subresource,
      namespace: info.namespace,
      name: info.name,
      path: info.path,
    };
    const { decision, reason } = await this.authorizer.authorize(attributes);
    if (decision !== 'allow') throw forbiddenError(attributes, reason);
  }

  private async handleNonResource(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    apiPrefix: string,
    group: string,
    version: string,
  ): Promise<void> {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const health = /^\/(healthz|livez|readyz)(?:\/(.*))?$/.exec(path);
    if (health !== null) {
      const endpoint = health[1] ?? '';
      const result = await evaluateHealth(endpoint, this.healthChecks, health[2] ?? '', url.searchParams);
      if (result === undefined) throw notFound({ group: '', resource: '' }, path);
      writeText(res, result.code, result.text);
      return;
    }
    if (path === '/version') {
      writeObject(res, 200, {
        ...KUBERNETES_VERSION,
        gitCommit: '0000000000000000000000000000000000000000',
        gitTreeState: 'clean',
        buildDate: '2026-01-01T00:00:00Z',
        goVersion: `node${process.versions.node}`,
        compiler: 'tsc',
        platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
      });
      return;
    }
    if (path === '/metrics') {
      for (const [prefix, cache] of this.caches) this.metrics.storedObjects.set({ resource: prefix.split('/')[2] ?? '' }, cache.size);
      const { contentType, text } = await this.metrics.render();
      res.writeHead(200, { 'Content-Type': contentType });
      res.end(text);
      return;
    }
    if (this.options.extraRoutes !== undefined && (await this.options.extraRoutes(req, res, path, url.searchParams))) return;
    if (apiPrefix !== '' && req.method !== 'GET') throw methodNotAllowed(req.method ?? '', { group, resource: '' });
    const view = negotiateView(req.headers.accept);
    if ((path === '/api' || path === '/apis') && view.kind === 'discoveryV2') {
      const body = JSON.stringify(aggregatedDiscovery(path === '/api' ? 'api' : 'apis', view.version));
      res.writeHead(200, { 'Content-Type': aggregatedContentType(view.version), Vary: 'Accept' });
      res.end(body);
      return;
    }
    const body = this.discoveryDocument(path, apiPrefix, group, version);
    if (body === undefined) {
      writeObject(res, 404, new StatusError(404, 'NotFound', 'the server could not find the requested resource').toStatus());
      return;
    }
    writeObject(res, 200, body);
  }

  private discoveryDocument(path: string, apiPrefix: string, group: string, version: string): unknown {
    if (path === '/api') return apiVersions(this.options.advertiseAddress);
    if (path === '/apis') return apiGroupList();
    if (apiPrefix === 'api' && version !== '') return apiResourceList('', version);
    if (apiPrefix === 'apis' && group === '' && version !== '') return apiGroup(version);
    if (apiPrefix === 'apis' && group !== '') return apiResourceList(group, version);
    return undefined;
  }

  private async handleResource(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    requestInfo: ReturnType<typeof parseRequestInfo>,
    user: UserInfo,
    upgraded: Duplex | undefined,
  ): Promise<void> {
    const info = findResource(requestInfo.group, requestInfo.version, requestInfo.resource);
    if (info === undefined) {
      throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    }
    if (info.namespaced && requestInfo.namespace === '' && !['list', 'watch'].includes(requestInfo.verb)) {
      throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    }
    const subresource = info.subresources.find((s) => s.name === requestInfo.subresource);
    if (requestInfo.subresource !== '' && subresource === undefined) {
      throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    }
    const base: RequestBase = {
      req,
      res,
      info,
      requestInfo,
      query: url.searchParams,
      user,
      view: negotiateView(req.headers.accept),
      now: new Date(),
      signal: this.abort.signal,
    };
    const verb = requestInfo.verb;
    // POST goes to collections (or to subresources), never to a named object.
    const postToObject = verb === 'create' && requestInfo.name !== '' && requestInfo.subresource === '';
    if ((!info.verbs.includes(verb) || postToObject) && requestInfo.subresource === '') {
      throw methodNotAllowed(verb, { group: info.group, resource: info.resource });
    }
    if (subresource !== undefined && !subresource.verbs.includes(verb)) {
      throw methodNotAllowed(verb, { group: info.group, resource: `${info.resource}/${subresource.name}` });
    }
    if (info.group === '' && info.resource === 'bindings') return handleBinding({ ...base, store: this.requireStore('', 'v1', 'pods') });
    const store = this.stores.get(info);
    if (store === undefined) return handleReview(base, { authorizer: this.authorizer, authenticator: this.options.authenticator });
    const r: ResourceRequest = { ...base, store };
    switch (subresource?.name) {
      case 'scale':
        return handleScale(r);
      case 'binding':
        return handleBinding(r);
      case 'eviction':
        return handleEviction(r, this.requireStore('policy', 'v1', 'poddisruptionbudgets'));
      case 'finalize':
        return handleFinalize(r);
      case 'token':
        if (this.options.serviceAccountKeys === undefined) throw serviceUnavailable('service account token issuing is not configured');
        return handleTokenRequest(r, {
          keys: this.options.serviceAccountKeys,
          apiAudiences: this.options.authenticator.apiAudiences,
          pods: this.requireStore('', 'v1', 'pods'),
          secrets: this.requireStore('', 'v1', 'secrets'),
          nodes: this.requireStore('', 'v1', 'nodes'),
        });
      case 'log':
      case 'exec':
      case 'attach':
      case 'portforward':
        return handlePodProxy(r, this.requireStore('', 'v1', 'nodes'), this.options.kubeletClient, upgraded, this.metrics);
    }
    if (verb === 'delete' && info.resource === 'namespaces' && info.group === '' && UNDELETABLE_NAMESPACES.has(requestInfo.name)) {
      throw forbidden({ group: '', resource: 'namespaces' }, requestInfo.name, 'this namespace may not be deleted');
    }
    switch (verb) {
      case 'get':
        return handleGet(r);
      case 'list':
        return handleList(r);
      case 'watch':
        this.metrics.watches.inc({ verb: 'WATCH', group: info.group, version: info.version, resource: info.resource });
        res.once('close', () => this.metrics.watches.dec({ verb: 'WATCH', group: info.group, version: info.version, resource: info.resource }));
        return handleWatch(r);
      case 'create':
        return handleCreate(r);
      case 'update':
        return handleUpdate(r);
      case 'patch':
        return handlePatch(r);
      case 'delete':
        return handleDelete(r);
      case 'deletecollection':
        return handleDeleteCollection(r);
      default:
        throw methodNotAllowed(verb, { group: info.group, resource: info.resource });
    }
  }

  /** NamespaceLifecycle admission: the namespace must exist and not be terminating. */
  async admitNamespace(namespace: string, gr: GroupResource, name: string): Promise<void> {
    const namespaces = this.storeFor('', 'v1', 'namespaces');
    if (namespaces === undefined) return;
    const ns = namespaces.cache.get(namespaces.key('', namespace)) ?? (await namespaces.get('', namespace).catch(() => undefined));
    if (ns === undefined) throw notFound({ group: '', resource: 'namespaces' }, namespace);
    if (ns.metadata.deletionTimestamp !== undefined) {
      const error = forbidden(gr, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
      const cause = { reason: 'NamespaceTerminating' as const, message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' };
      throw new StatusError(error.code, error.reason, error.message, { ...error.details, causes: [cause] });
    }
  }

  /** Creates each of `objects` (cluster-scoped) that does not exist yet. */
  private async ensureBootstrapObjects(group: string, version: string, resource: string, objects: readonly KubeObject[]): Promise<void> {
    const store = this.requireStore(group, version, resource);
    for (const obj of objects) {
      const name = obj.metadata.name ?? '';
      if (store.cache.get(store.key('', name)) !== undefined) continue;
      await store.create('', structuredClone(obj), { dryRun: false, fieldManager: 'k8ts', now: new Date() }).catch((err: unknown) => {
        if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
      });
    }
  }

  private async ensureSystemNamespaces(): Promise<void> {
    const namespaces = this.storeFor('', 'v1', 'namespaces');
    if (namespaces === undefined) return;
    for (const name of SYSTEM_NAMESPACES) {
      if (namespaces.cache.get(namespaces.key('', name)) !== undefined) continue;
      await namespaces
        .create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { dryRun: false, fieldManager: 'k8ts', now: new Date() })
        .catch((err: unknown) => {
          if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
        });
    }
  }
}
