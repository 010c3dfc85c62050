/**
 * An in-memory API server behind the Transport interface, for unit tests of the client
 * and of components built on it. It implements the REST semantics the client relies
 * on, for any catalog resource: create/get/list/update/merge-patch/delete/
 * deletecollection with resourceVersions from one global revision counter, paged lists,
 * watches that replay history after a resourceVersion, bookmarks, compaction (watches
 * and lists older than it get 410 Expired), and injected failures.
 *
 * It is a test double, not a second apiserver: no validation, defaulting, field or
 * label selectors beyond `key=value[,key=value]` equality, or graceful deletion.
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../api/object.js';
import { deepCopy, isPlainObject } from '../../api/object.js';
import { apiVersionOf, findResource } from '../../api/resources.js';
import type { ResourceInfo } from '../../api/resources.js';
import {
  StatusError,
  alreadyExists,
  badRequest,
  conflict,
  notFound,
  resourceVersionTooOld,
  unsupportedMediaType,
} from '../../api/status.js';
import type { Transport, TransportRequest, TransportResponse } from '../transport.js';
import { TransportError } from '../transport.js';

/** What an injected failure does: answer with this status and body, or fail like the network. */
export type InjectedFailure = { status: number; body: string; headers?: Record<string, string> } | TransportError;

interface Injection {
  matches: (req: TransportRequest) => boolean;
  outcome: InjectedFailure;
  remaining: number;
}

interface ParsedPath {
  info: ResourceInfo;
  namespace: string;
  name?: string;
  subresource?: string;
}

interface HistoryEvent {
  revision: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

interface Watcher {
  info: ResourceInfo;
  namespace: string;
  labels: Record<string, string>;
  bookmarks: boolean;
  stream: ChunkStream;
}

/** The fake server; see the module comment. */
export class FakeApiServer implements Transport {
  #revision = 0;
  #compactedRevision = 0;
  readonly #objects = new Map<string, KubeObject>();
  #history: HistoryEvent[] = [];
  readonly #watchers = new Set<Watcher>();
  #injections: Injection[] = [];
  /** Every request received, in order (method, path and query string). */
  readonly requests: { method: string; path: string; query: string }[] = [];

  /** The current global revision (the resourceVersion of the latest write). */
  get revision(): number {
    return this.#revision;
  }

  /** How many watch streams are open. */
  get openWatches(): number {
    return this.#watchers.size;
  }

  /** Makes the next `times` requests matching `matches` fail with `outcome`. */
  injectFailure(matches: (req: TransportRequest) => boolean, outcome: InjectedFailure, times = 1): void {
    this.#injections.push({ matches, outcome, remaining: times });
  }

  /** Forgets all history up to now: older resourceVersions get 410 Expired. */
  compact(): void {
    this.#compactedRevision = this.#revision;
    this.#history = [];
  }

  /** Ends every open watch stream cleanly, as a server-side watch timeout would. */
  closeWatches(): void {
    for (const watcher of [...this.#watchers]) watcher.stream.end();
    this.#watchers.clear();
  }

  /** Sends a BOOKMARK at the current revision to every watch that asked for bookmarks. */
  sendBookmarks(): void {
    for (const watcher of this.#watchers) {
      if (!watcher.bookmarks) continue;
      const object = {
        kind: watcher.info.kind,
        apiVersion: apiVersionOf(watcher.info.group, watcher.info.version),
        metadata: { resourceVersion: String(this.#revision) },
      };
      watcher.stream.push(line({ type: 'BOOKMARK', object }));
    }
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    const query = req.query ?? new URLSearchParams();
    this.requests.push({ method: req.method, path: req.path, query: query.toString() });
    if (req.signal?.aborted) throw new TransportError('Aborted', 'request aborted', { code: 'ABORT_ERR' });
    const injected = this.#takeInjection(req);
    if (injected instanceof TransportError) throw injected;
    if (injected !== undefined) return respond(injected.status, injected.body, injected.headers);
    try {
      return this.#serve(req, query);
    } catch (err) {
      if (err instanceof StatusError) return respond(err.code, JSON.stringify(err.toStatus()));
      throw err;
    }
  }

  #takeInjection(req: TransportRequest): InjectedFailure | undefined {
    const injection = this.#injections.find((i) => i.matches(req));
    if (injection === undefined) return undefined;
    injection.remaining--;
    if (injection.remaining <= 0) this.#injections = this.#injections.filter((i) => i !== injection);
    return injection.outcome;
  }

  #serve(req: TransportRequest, query: URLSearchParams): TransportResponse {
    const path = parsePath(req.path);
    const body = req.body === undefined ? undefined : req.body.toString();
    switch (req.method) {
      case 'GET':
        if (path.name !== undefined) return json(200, this.#get(path));
        if (query.get('watch') === 'true' || query.get('watch') === '1') return this.#watch(path, query, req.signal);
        return json(200, this.#list(path, query));
      case 'POST':
        return json(201, this.#create(path, decode(body)));
      case 'PUT':
        return json(200, this.#update(path, decode(body)));
      case 'PATCH':
        return json(200, this.#patch(path, req.headers?.['content-type'] ?? '', decode(body)));
      case 'DELETE':
        if (path.name === undefined) return json(200, this.#deleteCollection(path, query));
        return json(200, this.#delete(path, body === undefined ? {} : decode(body)));
      default:
        throw new StatusError(405, 'MethodNotAllowed', `method ${req.method} not allowed`);
    }
  }

  #get(path: ParsedPath): KubeObject {
    return deepCopy(this.#mustGet(path));
  }

  #list(path: ParsedPath, query: URLSearchParams): Record<string, unknown> {
    const requested = query.get('resourceVersion') ?? '';
    const token = query.get('continue');
    let after = '';
    if (token) {
      const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { rv: number; after: string };
      if (decoded.rv < this.#compactedRevision) {
        throw new StatusError(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
      }
      after = decoded.after;
    } else if (requested !== '' && requested !== '0' && Number(requested) < this.#compactedRevision) {
      throw resourceVersionTooOld(Number(requested), this.#compactedRevision + 1);
    }
    const selector = parseLabels(query.get('labelSelector') ?? '');
    const all = [...this.#objects.entries()]
      .filter(([key, obj]) => key.startsWith(prefixOf(path)) && key > after && labelsMatch(selector, obj))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const limit = Number(query.get('limit') ?? '0');
    const page = limit > 0 ? all.slice(0, limit) : all;
    const metadata: Record<string, unknown> = { resourceVersion: String(this.#revision) };
    if (page.length < all.length) {
      const last = page[page.length - 1]![0];
      metadata['continue'] = Buffer.from(JSON.stringify({ rv: this.#revision, after: last })).toString('base64');
      metadata['remainingItemCount'] = all.length - page.length;
    }
    return {
      kind: `${path.info.kind}List`,
      apiVersion: apiVersionOf(path.info.group, path.info.version),
      metadata,
      items: page.map(([, obj]) => withoutTypeMeta(deepCopy(obj))),
    };
  }

  #watch(path: ParsedPath, query: URLSearchParams, signal: AbortSignal | undefined): TransportResponse {
    const requested = query.get('resourceVersion') ?? '';
    const watcher: Watcher = {
      info: path.info,
      namespace: path.namespace,
      labels: parseLabels(query.get('labelSelector') ?? ''),
      bookmarks: query.get('allowWatchBookmarks') === 'true',
      stream: new ChunkStream(),
    };
    const matches = (obj: KubeObject): boolean => this.#watchMatches(watcher, obj);
    if (requested === '' || requested === '0') {
      for (const obj of this.#objects.values()) if (matches(obj)) watcher.stream.push(line({ type: 'ADDED', object: obj }));
    } else if (Number(requested) < this.#compactedRevision) {
      const status = resourceVersionTooOld(Number(requested), this.#compactedRevision + 1).toStatus();
      watcher.stream.push(line({ type: 'ERROR', object: status }));
      watcher.stream.end();
      return { status: 200, headers: { 'content-type': 'application/json' }, body: watcher.stream };
    } else {
      for (const event of this.#history) {
        if (event.revision > Number(requested) && matches(event.object)) watcher.stream.push(line(event));
      }
    }
    this.#watchers.add(watcher);
    const stop = (): void => {
      this.#watchers.delete(watcher);
      watcher.stream.end();
    };
    signal?.addEventListener('abort', stop, { once: true });
    watcher.stream.onEnd = () => {
      this.#watchers.delete(watcher);
      signal?.removeEventListener('abort', stop);
    };
    return { status: 200, headers: { 'content-type': 'application/json' }, body: watcher.stream };
  }

  #watchMatches(watcher: Watcher, obj: KubeObject): boolean {
    const { info } = watcher;
    if (obj.apiVersion !== apiVersionOf(info.group, info.version) || obj.kind !== info.kind) return false;
    if (watcher.namespace !== '' && obj.metadata.namespace !== watcher.namespace) return false;
    return labelsMatch(watcher.labels, obj);
  }

  #create(path: ParsedPath, input: KubeObject): KubeObject {
    const obj = deepCopy(input);
    obj.metadata ??= {};
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + randomUUID().slice(0, 5);
    const name = obj.metadata.name;
    if (!name) throw badRequest('name or generateName is required');
    if (path.info.namespaced) obj.metadata.namespace = path.namespace;
    const key = keyOf(path, name);
    if (this.#objects.has(key)) throw alreadyExists(path.info, name);
    obj.apiVersion = apiVersionOf(path.info.group, path.info.version);
    obj.kind = path.info.kind;
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    obj.metadata.generation = 1;
    return this.#write('ADDED', key, obj);
  }

  #update(path: ParsedPath, input: KubeObject): KubeObject {
    const current = this.#mustGet(path);
    const obj = deepCopy(input);
    const wanted = obj.metadata?.resourceVersion;
    if (wanted !== undefined && wanted !== '' && wanted !== current.metadata.resourceVersion) {
      throw conflict(path.info, path.name!);
    }
    obj.metadata = { ...obj.metadata, uid: current.metadata.uid, creationTimestamp: current.metadata.creationTimestamp, namespace: current.metadata.namespace, name: current.metadata.name };
    obj.apiVersion = current.apiVersion;
    obj.kind = current.kind;
    return this.#write('MODIFIED', keyOf(path, path.name!), obj);
  }

  #patch(path: ParsedPath, contentType: string, patch: KubeObject): KubeObject {
    if (contentType !== 'application/merge-patch+json') {
      throw unsupportedMediaType(contentType, ['application/merge-patch+json']);
    }
    const current = this.#mustGet(path);
    const merged = mergePatch(deepCopy(current), patch) as KubeObject;
    const wanted = (patch.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
    if (wanted !== undefined && wanted !== current.metadata.resourceVersion) throw conflict(path.info, path.name!);
    return this.#write('MODIFIED', keyOf(path, path.name!), merged);
  }

  #delete(path: ParsedPath, options: Record<string, unknown>): KubeObject {
    const current = this.#mustGet(path);
    const pre = isPlainObject(options['preconditions']) ? options['preconditions'] : {};
    if (typeof pre['uid'] === 'string' && pre['uid'] !== current.metadata.uid) {
      throw conflict(path.info, path.name!, `Precondition failed: UID in precondition: ${pre['uid']}, UID in object meta: ${current.metadata.uid}`);
    }
    if (typeof pre['resourceVersion'] === 'string' && pre['resourceVersion'] !== current.metadata.resourceVersion) {
      throw conflict(path.info, path.name!, `Precondition failed: ResourceVersion in precondition: ${pre['resourceVersion']}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
    }
    return this.#remove(keyOf(path, path.name!), current);
  }

  #deleteCollection(path: ParsedPath, query: URLSearchParams): Record<string, unknown> {
    const selector = parseLabels(query.get('labelSelector') ?? '');
    const removed: KubeObject[] = [];
    for (const [key, obj] of [...this.#objects]) {
      if (key.startsWith(prefixOf(path)) && labelsMatch(selector, obj)) removed.push(this.#remove(key, obj));
    }
    // As upstream: the list of deleted objects.
    return { kind: `${path.info.kind}List`, apiVersion: apiVersionOf(path.info.group, path.info.version), metadata: {}, items: removed };
  }

  #remove(key: string, current: KubeObject): KubeObject {
    this.#objects.delete(key);
    const gone = deepCopy(current);
    gone.metadata.resourceVersion = String(++this.#revision);
    this.#record('DELETED', gone);
    return deepCopy(gone);
  }

  #write(type: 'ADDED' | 'MODIFIED', key: string, obj: KubeObject): KubeObject {
    obj.metadata.resourceVersion = String(++this.#revision);
    this.#objects.set(key, obj);
    this.#record(type, obj);
    return deepCopy(obj);
  }

  #record(type: HistoryEvent['type'], object: KubeObject): void {
    const event: HistoryEvent = { revision: this.#revision, type, object: deepCopy(object) };
    this.#history.push(event);
    for (const watcher of this.#watchers) {
      if (this.#watchMatches(watcher, object)) watcher.stream.push(line(event));
    }
  }

  #mustGet(path: ParsedPath): KubeObject {
    const obj = this.#objects.get(keyOf(path, path.name!));
    if (obj === undefined) throw notFound(path.info, path.name!);
    return obj;
  }
}

/** A push-fed byte stream: what the fake hands out as a response body. */
class ChunkStream implements AsyncIterable<Buffer> {
  #chunks: Buffer[] = [];
  #ended = false;
  #wake: (() => void) | undefined;
  onEnd: (() => void) | undefined;

  push(chunk: Buffer): void {
    if (this.#ended) return;
    this.#chunks.push(chunk);
    this.#wake?.();
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#wake?.();
    this.onEnd?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    try {
      while (true) {
        const chunk = this.#chunks.shift();
        if (chunk !== undefined) {
          yield chunk;
          continue;
        }
        if (this.#ended) return;
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
      }
    } finally {
      this.end();
    }
  }
}

function line(event: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(event)}\n`);
}

function respond(status: number, body: string, headers: Record<string, string> = {}): TransportResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: oneChunk(Buffer.from(body)) };
}

function json(status: number, value: unknown): TransportResponse {
  return respond(status, JSON.stringify(value));
}

async function* oneChunk(chunk: Buffer): AsyncGenerator<Buffer> {
  yield chunk;
}

function decode(body: string | undefined): KubeObject {
  try {
    const value: unknown = JSON.parse(body ?? '');
    if (isPlainObject(value)) return value as KubeObject;
  } catch {
    // fall through to the error below
  }
  throw badRequest('the request body is not a JSON object');
}

function parsePath(path: string): ParsedPath {
  const segments = path.split('/').slice(1).map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (segments[0] === 'api') {
    group = '';
    rest = segments.slice(1);
  } else if (segments[0] === 'apis') {
    group = segments[1] ?? '';
    rest = segments.slice(2);
  } else {
    throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
  }
  const [version = '', ...tail] = rest;
  let namespace = '';
  if (tail[0] === 'namespaces' && tail.length >= 3 && findResource(group, version, tail[2]!) !== undefined) {
    namespace = tail[1]!;
    tail.splice(0, 2);
  }
  const info = findResource(group, version, tail[0] ?? '');
  if (info === undefined) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
  const parsed: ParsedPath = { info, namespace };
  if (tail[1] !== undefined) parsed.name = tail[1];
  if (tail[2] !== undefined) parsed.subresource = tail[2];
  return parsed;
}

function prefixOf(path: ParsedPath): string {
  const base = `${path.info.group}/${path.info.resource}/`;
  return path.namespace === '' ? base : `${base}${path.namespace}/`;
}

function keyOf(path: ParsedPath, name: string): string {
  return `${path.info.group}/${path.info.resource}/${path.info.namespaced ? path.namespace : ''}/${name}`;
}

function parseLabels(selector: string): Record<string, string> {
  const wanted: Record<string, string> = {};
  for (const term of selector.split(',')) {
    if (term.trim() === '') continue;
    const [key = '', value = ''] = term.split('=');
    wanted[key.trim()] = value.trim();
  }
  return wanted;
}

function labelsMatch(wanted: Record<string, string>, obj: KubeObject): boolean {
  const labels = obj.metadata.labels ?? {};
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

function withoutTypeMeta(obj: KubeObject): KubeObject {
  delete obj.kind;
  delete obj.apiVersion;
  return obj;
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}
