/**
 * The Kubernetes error model: every failure the API reports is a `metav1.Status`
 * carrying an HTTP code, a machine-readable reason, a human message and optional
 * details with field causes. Callers branch on `reason`, never on message text.
 */

/** Upstream `metav1.StatusReason` values that k8ts produces. */
export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'Timeout'
  | 'Expired'
  | 'ServiceUnavailable'
  | 'InternalError';

/** Upstream `metav1.CauseType` values used in field causes. */
export type CauseType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid'
  | 'UnexpectedServerResponse'
  | 'FieldManagerConflict'
  | 'ResourceVersionTooLarge'
  | 'NamespaceTerminating'
  | 'DisruptionBudget';

/** One cause of an error, usually a field path with what is wrong with it. */
export interface StatusCause {
  reason?: CauseType;
  message: string;
  field?: string;
}

/** `metav1.StatusDetails`. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The wire form of `metav1.Status`. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** A group and resource, as upstream names them in messages (`pods`, `deployments.apps`). */
export interface GroupResource {
  group: string;
  resource: string;
}

/** Formats a group-resource the way upstream messages do: `pods`, `deployments.apps`. */
export function formatGroupResource(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

/**
 * An API error: thrown anywhere below the HTTP layer, rendered as a Status by it.
 * Construct through the factory functions below so codes, reasons and messages
 * match upstream.
 */
export class StatusError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'StatusError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  /** The `metav1.Status` object for this error. */
  toStatus(): Status {
    const status: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details !== undefined) status.details = wireDetails(this.details);
    return status;
  }
}

/**
 * Details as upstream serializes them: every StatusDetails field is `omitempty`, so
 * an empty group (the core group), name, kind or uid is left out rather than sent as "".
 */
function wireDetails(details: StatusDetails): StatusDetails {
  const wire: StatusDetails = {};
  if (details.name) wire.name = details.name;
  if (details.group) wire.group = details.group;
  if (details.kind) wire.kind = details.kind;
  if (details.uid) wire.uid = details.uid;
  if (details.causes !== undefined && details.causes.length > 0) wire.causes = details.causes;
  if (details.retryAfterSeconds) wire.retryAfterSeconds = details.retryAfterSeconds;
  return wire;
}

/** True when `err` is a StatusError with the given reason. */
export function isStatusReason(err: unknown, reason: StatusReason): err is StatusError {
  return err instanceof StatusError && err.reason === reason;
}

/** 404: `pods "x" not found`. */
export function notFound(gr: GroupResource, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${formatGroupResource(gr)} "${name}" not found`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

/** 409: `pods "x" already exists`. */
export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${formatGroupResource(gr)} "${name}" already exists`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

/** 409 Conflict with upstream's wording; `detail` defaults to the optimistic-concurrency text. */
export function conflict(gr: GroupResource, name: string, detail?: string): StatusError {
  const why =
    detail ?? 'the object has been modified; please apply your changes to the latest version and try again';
  return new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${formatGroupResource(gr)} "${name}": ${why}`,
    { name, group: gr.group, kind: gr.resource },
  );
}

/** A field error as produced by validation: path, what is wrong, and the offending value. */
export interface FieldError {
  type: CauseType;
  field: string;
  /** The full human text for this error, e.g. `Required value` or `Invalid value: "x": must be …`. */
  detail: string;
}

/** Upstream field error constructors (`field.Required`, `field.Invalid`, …). */
export const fieldError = {
  required(field: string, detail = ''): FieldError {
    return { type: 'FieldValueRequired', field, detail: detail ? `Required value: ${detail}` : 'Required value' };
  },
  invalid(field: string, value: unknown, detail: string): FieldError {
    return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${formatFieldValue(value)}: ${detail}` };
  },
  notSupported(field: string, value: unknown, valid: readonly string[]): FieldError {
    const quoted = valid.map((v) => `"${v}"`).join(', ');
    return {
      type: 'FieldValueNotSupported',
      field,
      detail: `Unsupported value: ${formatFieldValue(value)}: supported values: ${quoted}`,
    };
  },
  forbidden(field: string, detail: string): FieldError {
    return { type: 'FieldValueForbidden', field, detail: `Forbidden: ${detail}` };
  },
  duplicate(field: string, value: unknown): FieldError {
    return { type: 'FieldValueDuplicate', field, detail: `Duplicate value: ${formatFieldValue(value)}` };
  },
  notFound(field: string, value: unknown): FieldError {
    return { type: 'FieldValueNotFound', field, detail: `Not found: ${formatFieldValue(value)}` };
  },
  tooLong(field: string, maxLength: number): FieldError {
    return { type: 'FieldValueTooLong', field, detail: `Too long: may not be more than ${maxLength} bytes` };
  },
  tooMany(field: string, actual: number, max: number): FieldError {
    return { type: 'FieldValueTooMany', field, detail: `Too many: ${actual}: must have at most ${max} items` };
  },
  typeInvalid(field: string, value: unknown, detail: string): FieldError {
    return { type: 'FieldValueTypeInvalid', field, detail: `Invalid value: ${formatFieldValue(value)}: ${detail}` };
  },
};

/** Renders a value inside a field error the way upstream's `field.Error` does. */
export function formatFieldValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return '"null"';
  return JSON.stringify(value);
}

/**
 * 422 Invalid: `Pod "x" is invalid: spec.containers[0].image: Required value`, one cause
 * per field error (several render as `[a: …, b: …]` as upstream does).
 */
export function invalid(kind: string, group: string, name: string, errors: readonly FieldError[]): StatusError {
  const parts = errors.map((e) => `${e.field}: ${e.detail}`);
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return new StatusError(422, 'Invalid', `${kind} "${name}" is invalid: ${summary}`, {
    name,
    group,
    kind,
    causes: errors.map((e) => ({ reason: e.type, message: e.detail, field: e.field })),
  });
}

/** 400 BadRequest. */
export function badRequest(message: string, causes?: StatusCause[]): StatusError {
  return new StatusError(400, 'BadRequest', message, causes ? { causes } : undefined);
}

/** 401 Unauthorized. */
export function unauthorized(message = 'Unauthorized'): StatusError {
  return new StatusError(401, 'Unauthorized', message);
}

/** 403 Forbidden: `pods "x" is forbidden: <why>` (name may be empty for collections). */
export function forbidden(gr: GroupResource, name: string, why: string): StatusError {
  const subject = name === '' ? formatGroupResource(gr) : `${formatGroupResource(gr)} "${name}"`;
  return new StatusError(403, 'Forbidden', `${subject} is forbidden: ${why}`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

/** 405 MethodNotAllowed. */
export function methodNotAllowed(verb: string, gr: GroupResource): StatusError {
  return new StatusError(
    405,
    'MethodNotAllowed',
    `${verb} is not supported on resources of kind "${formatGroupResource(gr)}"`,
    { group: gr.group, kind: gr.resource },
  );
}

/** 410 Gone: a resourceVersion older than the retained history. */
export function gone(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}

/** 410 Gone for watches and lists: `too old resource version: 5 (120)`. */
export function resourceVersionTooOld(requested: number, oldest: number): StatusError {
  return new StatusError(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}

/** 413 RequestEntityTooLarge. */
export function tooLarge(message: string): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge', message);
}

/** 415 UnsupportedMediaType. */
export function unsupportedMediaType(contentType: string, supported: readonly string[]): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${supported.join(', ')}`,
    { causes: [{ reason: 'UnexpectedServerResponse', message: contentType }] },
  );
}

/** 406 NotAcceptable. */
export function notAcceptable(supported: readonly string[]): StatusError {
  return new StatusError(
    406,
    'NotAcceptable',
    `only the following media types are accepted: ${supported.join(', ')}`,
  );
}

/** 429 TooManyRequests. */
export function tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return new StatusError(429, 'TooManyRequests', message, { retryAfterSeconds });
}

/** 504 Timeout. */
export function timeout(message: string): StatusError {
  return new StatusError(504, 'Timeout', message);
}

/** 503 ServiceUnavailable. */
export function serviceUnavailable(message: string): StatusError {
  return new StatusError(503, 'ServiceUnavailable', message);
}

/** 500 InternalError: only for real bugs; wraps the underlying error's text. */
export function internalError(err: unknown): StatusError {
  const text = err instanceof Error ? err.message : String(err);
  return new StatusError(500, 'InternalError', `Internal error occurred: ${text}`, {
    causes: [{ message: text }],
  });
}

/** A successful Status, as returned by deletes of collections and some subresources. */
export function successStatus(details?: StatusDetails): Status {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 };
  if (details !== undefined) status.details = wireDetails(details);
  return status;
}
