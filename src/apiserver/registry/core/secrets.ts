/**
 * Secrets (core/v1): type defaults to Opaque; keys are config keys; typed
 * secrets need their keys; the type is immutable; `immutable: true` freezes data.
 * `data` arrives base64-encoded on the wire and is stored as such; `stringData`
 * is merged into `data` and dropped, as upstream's conversion does.
 */
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { validateImmutableField } from '../objectMeta.js';
import type { Strategy } from '../strategy.js';
import { MAX_DATA_SIZE, validateDataKeys, validateImmutableData } from './configmaps.js';

const asSecret = (obj: KubeObject): Secret => obj as unknown as Secret;

/** Keys each built-in secret type requires. */
const REQUIRED_KEYS: Readonly<Record<string, readonly string[]>> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/basic-auth': [],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

function validateSecret(secret: Secret): FieldError[] {
  const data = secret.data ?? {};
  const errs = validateDataKeys(data, 'data');
  let total = 0;
  for (const value of Object.values(data)) total += Buffer.from(String(value), 'base64').length;
  if (total > MAX_DATA_SIZE) errs.push(fieldError.tooLong('data', MAX_DATA_SIZE));
  const type = secret.type ?? 'Opaque';
  for (const key of REQUIRED_KEYS[type] ?? []) {
    if (!(key in data)) errs.push(fieldError.required(`data[${key}]`));
  }
  if (type === 'kubernetes.io/service-account-token' && !secret.metadata?.annotations?.['kubernetes.io/service-account.name']) {
    errs.push(fieldError.required('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    errs.push(fieldError.required('data[username]'));
    errs.push(fieldError.required('data[password]'));
  }
  return errs;
}

/** The secrets strategy. */
export const secretStrategy: Strategy = {
  applyDefaults(obj) {
    const secret = asSecret(obj);
    if (!secret.type) (obj as Record<string, unknown>).type = 'Opaque';
    if (secret.stringData) {
      const data = (secret.data ?? {}) as Record<string, string>;
      for (const [key, value] of Object.entries(secret.stringData)) data[key] = Buffer.from(value).toString('base64');
      obj.data = data;
      delete obj.stringData;
    }
  },
  validate(obj) {
    return validateSecret(asSecret(obj));
  },
  validateUpdate(obj, old) {
    return [
      ...validateImmutableField(asSecret(obj).type, asSecret(old).type, 'type'),
      ...validateImmutableData(obj, old, ['data']),
    ];
  },
  selectableFields: {
    type: (obj) => asSecret(obj).type ?? '',
  },
};
