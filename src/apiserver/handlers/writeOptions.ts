/**
 * The query options every write shares — dryRun, fieldManager, fieldValidation and
 * (for patches) force — validated as upstream validates Create/Update/Patch/DeleteOptions,
 * and field validation of a decoded body against its kind's schema.
 */
import { apiVersionOf } from '../../api/resources.js';
import { badRequest, fieldError, invalid, type FieldError } from '../../api/status.js';
import { FIELD_MANAGER_MAX_LENGTH, managerOrUserAgent } from '../fieldmanager/index.js';
import type { WriteContext } from '../generic/resourceStore.js';
import type { GroupVersionKind } from '../openapi/schema.js';
import { pruneUnknownFields } from '../openapi/unknownFields.js';
import type { RequestBase } from './context.js';

/** What to do with fields the schema does not declare. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The options kind whose validation a verb's query goes through. */
export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

/** A validated write request: the store's WriteContext plus field validation and force. */
export interface WriteOptions extends WriteContext {
  fieldValidation: FieldValidation;
  force: boolean;
  /** True when the fieldManager parameter was given (apply requires it). */
  explicitManager: boolean;
}

const FIELD_VALIDATIONS: readonly FieldValidation[] = ['Strict', 'Warn', 'Ignore'];

/** Reads and validates the write options of `r`; 422 Invalid on a bad value, as upstream. */
export function writeOptions(r: RequestBase, kind: OptionsKind): WriteOptions {
  const errors: FieldError[] = [];
  const dryRun = r.query.getAll('dryRun');
  for (const value of dryRun) if (value !== 'All') errors.push(fieldError.notSupported('dryRun', value, ['All']));
  const explicit = r.query.get('fieldManager') ?? '';
  if (Buffer.byteLength(explicit) > FIELD_MANAGER_MAX_LENGTH) errors.push(fieldError.tooLong('fieldManager', FIELD_MANAGER_MAX_LENGTH));
  else if (/[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(explicit)) {
    errors.push(fieldError.invalid('fieldManager', explicit, 'must be made of printable characters'));
  }
  const validation = r.query.get('fieldValidation') ?? '';
  if (validation !== '' && !FIELD_VALIDATIONS.includes(validation as FieldValidation)) {
    errors.push(fieldError.notSupported('fieldValidation', validation, FIELD_VALIDATIONS));
  }
  const forceValue = r.query.get('force');
  const force = forceValue === 'true';
  if (forceValue !== null && forceValue !== 'true' && forceValue !== 'false') {
    throw badRequest(`invalid boolean value for force: ${forceValue}`);
  }
  if (errors.length > 0) throw invalid(kind, 'meta.k8s.io', '', errors);
  return {
    dryRun: dryRun.length > 0,
    fieldManager: managerOrUserAgent(explicit, r.req.headers['user-agent']) || 'unknown',
    explicitManager: explicit !== '',
    now: r.now,
    fieldValidation: validation === '' ? 'Warn' : (validation as FieldValidation),
    force,
  };
}

/** The group/version/kind a body for this request must have (the subresource's kind for scale, binding, eviction). */
export function requestKind(r: RequestBase): GroupVersionKind & { apiVersion: string } {
  const { info } = r;
  const sub = info.subresources.find((s) => s.name === r.requestInfo.subresource);
  const [group, version, kind] =
    sub !== undefined && sub.name !== 'status' ? [sub.group ?? info.group, sub.version ?? info.version, sub.kind] : [info.group, info.version, info.kind];
  return { group, version, kind, apiVersion: apiVersionOf(group, version) };
}

/**
 * Drops the fields of `body` its kind does not declare (upstream never stores them);
 * Strict fails with upstream's strict decoding error (400), Warn adds a `Warning`
 * header per field, Ignore drops them silently.
 */
export function validateFields(r: RequestBase, body: unknown, validation: FieldValidation): void {
  const gvk = requestKind(r);
  const unknown = pruneUnknownFields(body, gvk);
  if (unknown.length === 0 || validation === 'Ignore') return;
  const described = unknown.map((path) => `unknown field "${path}"`);
  if (validation === 'Strict') {
    throw badRequest(`${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: strict decoding error: ${described.join(', ')}`);
  }
  r.res.setHeader('Warning', described.map((text) => `299 - ${JSON.stringify(text)}`));
}
