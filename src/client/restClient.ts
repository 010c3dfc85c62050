/**
 * The REST client every k8ts component uses: get, list, create, update, patch,
 * delete, deletecollection and watch on any resource, over any Transport, with the
 * Kubernetes wire protocol (JSON) and client-go's error semantics: a failed request
 * throws a `StatusError` (from the server's Status, or a generic one by HTTP code);
 * a request that got no response throws a `TransportError`. Requests the server asks
 * to retry (429/5xx with Retry-After) are retried after the wait it names.
 */
import type { KubeList, KubeObject } from '../api/object.js';
import type { Status } from '../api/status.js';
import { realClock, sleep } from './clock.js';
import type { Clock } from './clock.js';
import { qualifiedResource, resourcePath } from './paths.js';
import type { ResourceTarget } from './paths.js';
import { statusErrorFromResponse } from './responseErrors.js';
import { TransportError, isTransportError, readBody } from './transport.js';
import type { Transport, TransportResponse } from './transport.js';
import { decodeWatchEvents } from './watch.js';
import type { WatchEvent } from './watch.js';

/** Options every call takes. */
export interface CallOptions {
  /** Aborting cancels the request (and ends a watch). */
  signal?: AbortSignal;
}

/** Options of `get`. */
export interface GetOptions extends CallOptions {
  /** `""` (default): latest; `"0"`: any cached version; other: not older than this. */
  resourceVersion?: string;
  subresource?: string;
}

/** Selectors shared by list, watch and deletecollection. */
export interface SelectorOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/** Options of `list` (upstream `metav1.ListOptions` for a list). */
export interface ListOptions extends CallOptions, SelectorOptions {
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  timeoutSeconds?: number;
}

/** Options of `watch` (upstream `metav1.ListOptions` with `watch=true`). */
export interface WatchOptions extends CallOptions, SelectorOptions {
  /** Start after this version; `""` or absent: synthetic ADDED events for current state first. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** The server ends the watch after this long. */
  timeoutSeconds?: number;
}

/** Options of create and update. */
export interface WriteOptions extends CallOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
  subresource?: string;
}

/** The patch formats the API accepts. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/** Content types of each patch format. */
export const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** Options of `patch`; `fieldManager` is required by the server for `apply`. */
export interface PatchOptions extends WriteOptions {
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
}

/** Body options of a delete (upstream `metav1.DeleteOptions`). */
export interface DeleteOptions extends CallOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** Options of `deleteCollection`: which objects (selectors) and how to delete them. */
export interface DeleteCollectionOptions extends DeleteOptions, SelectorOptions {
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

/** Options of the client itself. */
export interface RestClientOptions {
  /** Sent as `User-Agent` unless the transport sets one. */
  userAgent?: string;
  /**
   * How many times a request is retried when the server asks for it (429 or 5xx with
   * an integer `Retry-After`), or when a GET's connection was reset (default 10, as
   * client-go). 0 disables retries.
   */
  maxRetries?: number;
  /** The clock retries wait on (default: the real one). */
  clock?: Clock;
}

/** A typed-enough client for any resource; see the module comment for its error contract. */
export class RestClient {
  readonly transport: Transport;
  readonly #userAgent: string | undefined;
  readonly #maxRetries: number;
  readonly #clock: Clock;

  constructor(transport: Transport, options: RestClientOptions = {}) {
    this.transport = transport;
    this.#userAgent = options.userAgent;
    this.#maxRetries = options.maxRetries ?? 10;
    this.#clock = options.clock ?? realClock;
  }

  /** GET one object (or one of its subresources). */
  async get<T extends KubeObject = KubeObject>(target: ResourceTarget, name: string, options: GetOptions = {}): Promise<T> {
    const query = new URLSearchParams();
    setIf(query, 'resourceVersion', options.resourceVersion);
    return this.#call<T>('GET', routeOf(target, name, options.subresource), { name, query, signal: options.signal });
  }

  /**
   * GET a path outside the resource tree (discovery: `/api`, `/apis`, `/apis/apps/v1`),
   * with the errors and retries of `get`.
   */
  async getPath<T = unknown>(path: string, options: CallOptions = {}): Promise<T> {
    return this.#call<T>('GET', { path, resource: '' }, { signal: options.signal });
  }

  /** GET a collection (one page of it when `limit` is set). */
  async list<T extends KubeObject = KubeObject>(target: ResourceTarget, options: ListOptions = {}): Promise<KubeList<T>> {
    const query = selectorQuery(options);
    setIf(query, 'limit', options.limit);
    setIf(query, 'continue', options.continue);
    setIf(query, 'resourceVersion', options.resourceVersion);
    setIf(query, 'resourceVersionMatch', options.resourceVersionMatch);
    setIf(query, 'timeoutSeconds', options.timeoutSeconds);
    return this.#call<KubeList<T>>('GET', routeOf(target), { query, signal: options.signal });
  }

  /** POST a new object into the target's collection (or to a subresource of `object`'s name). */
  async create<T extends KubeObject = KubeObject>(target: ResourceTarget, object: T, options: WriteOptions = {}): Promise<T> {
    const name = options.subresource === undefined ? undefined : requireName(object);
    return this.#call<T>('POST', routeOf(target, name, options.subresource), {
      name,
      query: writeQuery(options),
      body: JSON.stringify(object),
      contentType: 'application/json',
      signal: options.signal,
    });
  }

  /** PUT a whole object; its `metadata.resourceVersion`, when set, makes the update conditional. */
  async update<T extends KubeObject = KubeObject>(target: ResourceTarget, object: T, options: WriteOptions = {}): Promise<T> {
    const name = requireName(object);
    return this.#call<T>('PUT', routeOf(target, name, options.subresource), {
      name,
      query: writeQuery(options),
      body: JSON.stringify(object),
      contentType: 'application/json',
      signal: options.signal,
    });
  }

  /**
   * PATCH an object. `patch` is sent as JSON (a string is sent as is): an operation
   * array for `json`, a partial object for `merge`/`strategic`, a full intent for
   * `apply` (JSON is valid YAML).
   */
  async patch<T extends KubeObject = KubeObject>(
    target: ResourceTarget,
    name: string,
    type: PatchType,
    patch: unknown,
    options: PatchOptions = {},
  ): Promise<T> {
    const query = writeQuery(options);
    if (options.force !== undefined) query.set('force', String(options.force));
    return this.#call<T>('PATCH', routeOf(target, name, options.subresource), {
      name,
      query,
      body: typeof patch === 'string' ? patch : JSON.stringify(patch),
      contentType: PATCH_CONTENT_TYPES[type],
      signal: options.signal,
    });
  }

  /**
   * DELETE one object. Resolves to the object when deletion is pending (finalizers,
   * graceful deletion) or as deleted, or to a success Status, whichever the server sends.
   */
  async delete<T extends KubeObject = KubeObject>(target: ResourceTarget, name: string, options: DeleteOptions = {}): Promise<T | Status> {
    return this.#call<T | Status>('DELETE', routeOf(target, name), {
      name,
      body: deleteBody(options),
      contentType: 'application/json',
      signal: options.signal,
    });
  }

  /** DELETE every object of a collection matching the selectors. */
  async deleteCollection<T extends KubeObject = KubeObject>(
    target: ResourceTarget,
    options: DeleteCollectionOptions = {},
  ): Promise<KubeList<T> | Status> {
    const query = selectorQuery(options);
    setIf(query, 'limit', options.limit);
    setIf(query, 'continue', options.continue);
    setIf(query, 'resourceVersion', options.resourceVersion);
    return this.#call<KubeList<T> | Status>('DELETE', routeOf(target), {
      query,
      body: deleteBody(options),
      contentType: 'application/json',
      signal: options.signal,
    });
  }

  /**
   * Starts a watch. Resolves once the server accepted it (a refused watch throws like
   * any request, e.g. 410 Expired); the returned stream then yields events until the
   * server ends it, `signal` aborts, or the consumer stops iterating. Always abort or
   * iterate to the end: an untouched stream holds its connection.
   */
  async watch<T extends KubeObject = KubeObject>(
    target: ResourceTarget,
    options: WatchOptions = {},
  ): Promise<AsyncGenerator<WatchEvent<T>>> {
    const query = selectorQuery(options);
    query.set('watch', 'true');
    setIf(query, 'resourceVersion', options.resourceVersion);
    setIf(query, 'allowWatchBookmarks', options.allowWatchBookmarks);
    setIf(query, 'timeoutSeconds', options.timeoutSeconds);
    const route = routeOf(target);
    const res = await this.#send('GET', route, { query, signal: options.signal });
    if (res.status < 200 || res.status > 299) throw await this.#failure(res, 'GET', route, undefined, options.signal);
    return decodeWatchEvents<T>(res.body, options.signal);
  }

  async #call<R>(method: string, route: Route, req: RequestParts): Promise<R> {
    const res = await this.#send(method, route, req);
    if (res.status < 200 || res.status > 299) throw await this.#failure(res, method, route, req.name, req.signal);
    const text = (await readAll(res, req.signal)).toString('utf8');
    try {
      return JSON.parse(text) as R;
    } catch (err) {
      throw new TransportError('Decode', `${method} ${route.path}: response is not JSON: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Sends one request, retrying as `RestClientOptions.maxRetries` describes. */
  async #send(method: string, route: Route, req: RequestParts): Promise<TransportResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.contentType !== undefined) headers['content-type'] = req.contentType;
    if (this.#userAgent !== undefined) headers['user-agent'] = this.#userAgent;
    const request = { method, path: route.path, headers, query: req.query, body: req.body, signal: req.signal };
    for (let attempt = 0; ; attempt++) {
      let res: TransportResponse;
      try {
        res = await this.transport.request(request);
      } catch (err) {
        const failure = asTransportError(err, request.method, request.path, req.signal);
        if (attempt >= this.#maxRetries || method !== 'GET' || !isConnectionReset(failure)) throw failure;
        await sleep(this.#clock, 1000, req.signal);
        continue;
      }
      const wait = retryAfterSeconds(res);
      if (wait === undefined || attempt >= this.#maxRetries) return res;
      await discard(res);
      await sleep(this.#clock, wait * 1000, req.signal);
      if (req.signal?.aborted) throw new TransportError('Aborted', `${method} ${request.path}: request aborted`, { code: 'ABORT_ERR' });
    }
  }

  async #failure(res: TransportResponse, method: string, route: Route, name: string | undefined, signal: AbortSignal | undefined): Promise<Error> {
    const text = (await readAll(res, signal)).toString('utf8');
    return statusErrorFromResponse(res.status, text, { method, resource: route.resource, name }, res.headers['retry-after']);
  }
}

/** Where a request goes: its path, and the qualified resource named in client-side error messages ('' for none). */
interface Route {
  path: string;
  resource: string;
}

/** The route of a resource request. */
function routeOf(target: ResourceTarget, name?: string, subresource?: string): Route {
  return { path: resourcePath(target, name, subresource), resource: qualifiedResource(target) };
}

interface RequestParts {
  /** The object's name, for client-side error messages. */
  name?: string | undefined;
  query?: URLSearchParams;
  body?: string;
  contentType?: string;
  signal?: AbortSignal | undefined;
}

/** The server's requested wait for a retryable answer (429 or 5xx with an integer Retry-After). */
function retryAfterSeconds(res: TransportResponse): number | undefined {
  if (res.status !== 429 && res.status < 500) return undefined;
  const header = res.headers['retry-after'];
  if (header === undefined || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim());
}

function isConnectionReset(err: TransportError): boolean {
  return err.kind === 'Network' && (err.code === 'ECONNRESET' || err.code === 'EPIPE' || /\bEOF\b|socket hang up/i.test(err.message));
}

async function discard(res: TransportResponse): Promise<void> {
  try {
    await readBody(res.body);
  } catch {
    // The body of an answer we retry anyway does not matter.
  }
}

async function readAll(res: TransportResponse, signal: AbortSignal | undefined): Promise<Buffer> {
  try {
    return await readBody(res.body);
  } catch (err) {
    throw asTransportError(err, 'read', 'response body', signal);
  }
}

function asTransportError(err: unknown, method: string, path: string, signal: AbortSignal | undefined): TransportError {
  if (isTransportError(err)) return err;
  if (signal?.aborted) return new TransportError('Aborted', `${method} ${path}: request aborted`, { code: 'ABORT_ERR', cause: err });
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return new TransportError('Network', `${method} ${path}: ${(err as Error).message}`, { code, cause: err });
}

function setIf(query: URLSearchParams, key: string, value: string | number | boolean | undefined): void {
  if (value !== undefined && value !== '') query.set(key, String(value));
}

function selectorQuery(options: SelectorOptions): URLSearchParams {
  const query = new URLSearchParams();
  setIf(query, 'labelSelector', options.labelSelector);
  setIf(query, 'fieldSelector', options.fieldSelector);
  return query;
}

function writeQuery(options: WriteOptions): URLSearchParams {
  const query = new URLSearchParams();
  if (options.dryRun === true) query.set('dryRun', 'All');
  setIf(query, 'fieldManager', options.fieldManager);
  setIf(query, 'fieldValidation', options.fieldValidation);
  return query;
}

function deleteBody(options: DeleteOptions): string {
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
  if (options.propagationPolicy !== undefined) body['propagationPolicy'] = options.propagationPolicy;
  if (options.gracePeriodSeconds !== undefined) body['gracePeriodSeconds'] = options.gracePeriodSeconds;
  if (options.preconditions !== undefined) body['preconditions'] = options.preconditions;
  if (options.dryRun === true) body['dryRun'] = ['All'];
  return JSON.stringify(body);
}

function requireName(object: KubeObject): string {
  const name = object.metadata?.name;
  if (name === undefined || name === '') throw new Error('the object has no metadata.name');
  return name;
}
