/**
 * The request parameters the OpenAPI documents declare for resource operations,
 * described in our own words. kubectl reads them: `fieldValidation` on a PATCH
 * operation tells it the server validates fields itself.
 */

/** One parameter, in a form both the v2 and v3 renderers start from. */
export interface ApiParameter {
  name: string;
  in: 'path' | 'query';
  type: 'string' | 'integer' | 'boolean';
  description: string;
  required?: boolean;
}

function query(name: string, type: ApiParameter['type'], description: string): ApiParameter {
  return { name, in: 'query', type, description };
}

/** The parameters, by name. */
export const PARAMETERS = {
  name: { name: 'name', in: 'path', type: 'string', required: true, description: 'The name of the object.' },
  namespace: { name: 'namespace', in: 'path', type: 'string', required: true, description: 'The namespace of the object; it scopes the name.' },
  pretty: query('pretty', 'string', "When 'true', the response JSON is indented for people to read."),
  dryRun: query('dryRun', 'string', "When 'All', every stage of the request runs except storing the result; nothing is persisted."),
  fieldManager: query('fieldManager', 'string', 'The name of the actor making the change, recorded in managedFields. Printable characters only, at most 128.'),
  fieldValidation: query('fieldValidation', 'string', "How the server treats unknown or duplicate fields in the body: 'Ignore' drops them, 'Warn' drops them and returns a warning for each, 'Strict' rejects the request."),
  force: query('force', 'boolean', "For apply patches only: take ownership of fields other managers own instead of failing with a conflict."),
  gracePeriodSeconds: query('gracePeriodSeconds', 'integer', "Seconds the object may take to terminate; 0 deletes at once. Unset uses the type's default."),
  orphanDependents: query('orphanDependents', 'boolean', "Deprecated in favour of propagationPolicy. When true, the object's dependents are orphaned rather than garbage collected."),
  propagationPolicy: query('propagationPolicy', 'string', "How dependents are garbage collected: 'Orphan', 'Background' or 'Foreground'."),
  allowWatchBookmarks: query('allowWatchBookmarks', 'boolean', 'For watches: ask for BOOKMARK events carrying only a resourceVersion.'),
  continue: query('continue', 'string', 'The token from a previous paged list response, to fetch the next page.'),
  fieldSelector: query('fieldSelector', 'string', 'Only objects whose fields match this selector. Defaults to everything.'),
  labelSelector: query('labelSelector', 'string', 'Only objects whose labels match this selector. Defaults to everything.'),
  limit: query('limit', 'integer', 'The most items to return in one response; a continue token is returned when more remain.'),
  resourceVersion: query('resourceVersion', 'string', 'Which version of the data the request may be served from; see resourceVersionMatch.'),
  resourceVersionMatch: query('resourceVersionMatch', 'string', "How resourceVersion applies to a list: 'NotOlderThan' or 'Exact'."),
  sendInitialEvents: query('sendInitialEvents', 'boolean', 'For watches: start with synthetic ADDED events for the current state, ended by a bookmark.'),
  timeoutSeconds: query('timeoutSeconds', 'integer', 'How long a list or watch call may last, whatever its activity.'),
  watch: query('watch', 'boolean', 'Stream add, update and delete notifications for the described resources instead of listing them.'),
} satisfies Record<string, ApiParameter>;

/** Query parameters of each kind of operation. */
export const QUERY_PARAMETERS_OF = {
  write: [PARAMETERS.dryRun, PARAMETERS.fieldManager, PARAMETERS.fieldValidation],
  patch: [PARAMETERS.dryRun, PARAMETERS.fieldManager, PARAMETERS.fieldValidation, PARAMETERS.force],
  delete: [PARAMETERS.dryRun, PARAMETERS.gracePeriodSeconds, PARAMETERS.orphanDependents, PARAMETERS.propagationPolicy],
  list: [
    PARAMETERS.allowWatchBookmarks, PARAMETERS.continue, PARAMETERS.fieldSelector, PARAMETERS.labelSelector, PARAMETERS.limit,
    PARAMETERS.resourceVersion, PARAMETERS.resourceVersionMatch, PARAMETERS.sendInitialEvents, PARAMETERS.timeoutSeconds, PARAMETERS.watch,
  ],
  deleteCollection: [
    PARAMETERS.continue, PARAMETERS.dryRun, PARAMETERS.fieldSelector, PARAMETERS.gracePeriodSeconds, PARAMETERS.labelSelector,
    PARAMETERS.limit, PARAMETERS.orphanDependents, PARAMETERS.propagationPolicy, PARAMETERS.resourceVersion,
    PARAMETERS.resourceVersionMatch, PARAMETERS.sendInitialEvents, PARAMETERS.timeoutSeconds,
  ],
} satisfies Record<string, readonly ApiParameter[]>;
