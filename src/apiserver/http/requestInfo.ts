/**
 * Parses a request path and method into what the request is about, as upstream's
 * RequestInfoFactory does: API vs non-resource path, group, version, namespace,
 * resource, name, subresource and the verb (get/list/watch/create/…).
 */

/** What a request addresses. `resourceRequest` is false for /healthz, /api, /apis/… discovery. */
export interface RequestInfo {
  resourceRequest: boolean;
  path: string;
  verb: string;
  apiPrefix: 'api' | 'apis' | '';
  group: string;
  version: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** Path parts after the API prefix, for discovery routing. */
  parts: string[];
}

const METHOD_VERBS: Readonly<Record<string, string>> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** Builds the RequestInfo for `method` on `path` with `query`. */
export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  const segments = trimmed === '' ? [] : trimmed.split('/').map(decodeURIComponent);
  const info: RequestInfo = {
    resourceRequest: false,
    path,
    verb: (METHOD_VERBS[method] ?? method.toLowerCase()),
    apiPrefix: '',
    group: '',
    version: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  const [prefix, ...rest] = segments;
  if (prefix !== 'api' && prefix !== 'apis') return info;
  info.apiPrefix = prefix;
  let parts = rest;
  if (prefix === 'apis') {
    if (parts.length < 2) {
      info.parts = parts;
      return info;
    }
    info.group = parts[0] ?? '';
    parts = parts.slice(1);
  }
  if (parts.length < 2) {
    info.version = parts[0] ?? '';
    info.parts = parts;
    return info;
  }
  info.version = parts[0] ?? '';
  parts = parts.slice(1);
  info.resourceRequest = true;
  if (parts[0] === 'watch') {
    info.verb = 'watch';
    parts = parts.slice(1);
  }
  if (parts[0] === 'namespaces' && parts.length >= 2) {
    info.namespace = parts[1] ?? '';
    // /namespaces/{ns}/{resource}… addresses a namespaced resource, except the
    // namespace's own subresources (/namespaces/{name}/status, /finalize).
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2] ?? '')) parts = parts.slice(2);
  }
  info.parts = parts;
  info.resource = parts[0] ?? '';
  info.name = parts[1] ?? '';
  info.subresource = parts.slice(2).join('/');
  if (info.name === '') {
    if (info.verb === 'get') info.verb = isWatch(query) ? 'watch' : 'list';
    else if (info.verb === 'delete') info.verb = 'deletecollection';
  } else if (info.verb === 'get' && isWatch(query)) {
    info.verb = 'watch';
  }
  return info;
}

function isWatch(query: URLSearchParams): boolean {
  const value = query.get('watch');
  return value === 'true' || value === '1';
}
