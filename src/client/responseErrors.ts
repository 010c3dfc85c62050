/**
 * Turns failed API responses into `StatusError`s, as client-go does: a `Status` body
 * is taken as sent; any other body gets a generic error chosen by HTTP code, with the
 * body kept as an `UnexpectedServerResponse` cause.
 */
import { StatusError } from '../api/status.js';
import type { StatusDetails, StatusReason } from '../api/status.js';
import { isPlainObject } from '../api/object.js';

/**
 * Upstream's `StatusReasonUnknown` (the empty string): the server gave no reason.
 * The shared `StatusReason` type does not list it yet, hence the cast.
 */
export const UNKNOWN_REASON = '' as StatusReason;

/** What a failed request was about, for messages of errors the server did not explain. */
export interface RequestContext {
  method: string;
  /** `pods`, `deployments.apps`; empty when not a resource request. */
  resource: string;
  name?: string;
}

/** A StatusError from a decoded `metav1.Status` object (as in a response or a watch ERROR event). */
export function statusErrorFromStatus(status: Record<string, unknown>, fallbackCode = 500): StatusError {
  const code = typeof status['code'] === 'number' && status['code'] > 0 ? status['code'] : fallbackCode;
  const reason = typeof status['reason'] === 'string' ? (status['reason'] as StatusReason) : UNKNOWN_REASON;
  const message = typeof status['message'] === 'string' ? status['message'] : '';
  const details = isPlainObject(status['details']) ? (status['details'] as StatusDetails) : undefined;
  return new StatusError(code, reason, message, details);
}

/** True for a decoded body that is a `metav1.Status`. */
export function isStatusObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && value['kind'] === 'Status';
}

/** The error for a non-2xx response with body text `bodyText`. */
export function statusErrorFromResponse(code: number, bodyText: string, ctx: RequestContext, retryAfter?: string): StatusError {
  let decoded: unknown;
  try {
    decoded = JSON.parse(bodyText);
  } catch {
    decoded = undefined;
  }
  if (isStatusObject(decoded) && decoded['status'] === 'Failure') return statusErrorFromStatus(decoded, code);
  return genericServerError(code, bodyText, ctx, retryAfter);
}

function genericServerError(code: number, serverMessage: string, ctx: RequestContext, retryAfter?: string): StatusError {
  let reason = UNKNOWN_REASON;
  let message = `the server responded with the status code ${code} but did not return more information`;
  switch (code) {
    case 409:
      reason = ctx.method === 'POST' ? 'AlreadyExists' : 'Conflict';
      message = 'the server reported a conflict';
      break;
    case 404:
      reason = 'NotFound';
      message = 'the server could not find the requested resource';
      break;
    case 400:
      reason = 'BadRequest';
      message = 'the server rejected our request for an unknown reason';
      break;
    case 401:
      reason = 'Unauthorized';
      message = 'the server has asked for the client to provide credentials';
      break;
    case 403:
      reason = 'Forbidden';
      message = serverMessage;
      break;
    case 405:
      reason = 'MethodNotAllowed';
      message = 'the server does not allow this method on the requested resource';
      break;
    case 422:
      reason = 'Invalid';
      message = 'the server rejected our request due to an error in our request';
      break;
    case 504:
      reason = 'Timeout';
      message = 'the server was unable to return a response in the time allotted, but may still be processing the request';
      break;
    case 429:
      reason = 'TooManyRequests';
      message = 'the server has received too many requests and has asked us to try again later';
      break;
    default:
      if (code >= 500) {
        reason = 'InternalError';
        message = `an error on the server (${JSON.stringify(serverMessage)}) has prevented the request from succeeding`;
      }
  }
  if (ctx.resource !== '') {
    const verb = ctx.method.toLowerCase();
    message += ctx.name ? ` (${verb} ${ctx.resource} ${ctx.name})` : ` (${verb} ${ctx.resource})`;
  }
  const details: StatusDetails = { kind: ctx.resource, causes: [{ reason: 'UnexpectedServerResponse', message: serverMessage }] };
  if (ctx.name) details.name = ctx.name;
  const seconds = retryAfter === undefined ? NaN : Number(retryAfter);
  if (Number.isInteger(seconds) && seconds > 0) details.retryAfterSeconds = seconds;
  return new StatusError(code, reason, message, details);
}
