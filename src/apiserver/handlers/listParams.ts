/**
 * The list/watch query parameters (resourceVersion, resourceVersionMatch, limit,
 * continue, selectors, timeoutSeconds, allowWatchBookmarks, sendInitialEvents),
 * parsed and validated as upstream does.
 */
import { badRequest, invalid } from '../../api/status.js';
import { fieldError } from '../../api/status.js';

/** Parsed list options. */
export interface ListParams {
  resourceVersion: string | undefined;
  resourceVersionMatch: 'Exact' | 'NotOlderThan' | undefined;
  limit: number;
  continueToken: string | undefined;
  labelSelector: string;
  fieldSelector: string;
  timeoutSeconds: number | undefined;
  allowWatchBookmarks: boolean;
  sendInitialEvents: boolean | undefined;
}

function parseBool(value: string | null): boolean | undefined {
  if (value === null) return undefined;
  return value === 'true' || value === '1';
}

function parseNonNegativeInt(name: string, value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid value for ${name}: ${value}`);
  return n;
}

/** Parses and validates list/watch parameters for `verb`. */
export function parseListParams(query: URLSearchParams, verb: 'list' | 'watch'): ListParams {
  const rvm = query.get('resourceVersionMatch') ?? '';
  if (rvm !== '' && rvm !== 'Exact' && rvm !== 'NotOlderThan') {
    throw invalid('ListOptions', 'meta.k8s.io', '', [fieldError.notSupported('resourceVersionMatch', rvm, ['Exact', 'NotOlderThan'])]);
  }
  const params: ListParams = {
    resourceVersion: query.get('resourceVersion') ?? undefined,
    resourceVersionMatch: rvm === '' ? undefined : rvm,
    limit: parseNonNegativeInt('limit', query.get('limit')) ?? 0,
    continueToken: query.get('continue') || undefined,
    labelSelector: query.get('labelSelector') ?? '',
    fieldSelector: query.get('fieldSelector') ?? '',
    timeoutSeconds: parseNonNegativeInt('timeoutSeconds', query.get('timeoutSeconds')),
    allowWatchBookmarks: parseBool(query.get('allowWatchBookmarks')) ?? false,
    sendInitialEvents: parseBool(query.get('sendInitialEvents')),
  };
  if (params.resourceVersion === '') params.resourceVersion = undefined;
  const errors = [];
  if (params.resourceVersion !== undefined && !/^\d+$/.test(params.resourceVersion)) {
    throw badRequest(`Invalid value for resourceVersion: "${params.resourceVersion}"`);
  }
  if (params.resourceVersionMatch !== undefined && params.resourceVersion === undefined && verb === 'list') {
    errors.push(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
  }
  if (params.resourceVersionMatch === 'Exact' && params.resourceVersion === '0') {
    errors.push(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (params.continueToken !== undefined && params.resourceVersion !== undefined && params.resourceVersion !== '0') {
    errors.push(fieldError.forbidden('resourceVersion', 'specifying resource version is not allowed when using continue'));
  }
  if (params.sendInitialEvents !== undefined) {
    if (verb !== 'watch') errors.push(fieldError.forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
    else if (params.resourceVersionMatch !== 'NotOlderThan') {
      errors.push(fieldError.forbidden('resourceVersionMatch', "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
    } else if (!params.allowWatchBookmarks) {
      errors.push(fieldError.forbidden('allowWatchBookmarks', 'allowWatchBookmarks must be set to true when sendInitialEvents is set'));
    }
  }
  if (errors.length > 0) throw invalid('ListOptions', 'meta.k8s.io', '', errors);
  return params;
}
