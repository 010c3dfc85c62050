/**
 * ConfigMaps and Secrets share their data rules: keys are config keys, a key
 * may not appear in both `data` and `binaryData`, the total size is capped,
 * and `immutable: true` freezes the data (and cannot be undone).
 */
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { isConfigMapKey } from '../../../api/validation/identifiers.js';
import { semanticEqual } from '../semantic.js';
import type { Strategy } from '../strategy.js';
import { each } from './podValidation.js';

/** Upstream's 1 MiB cap on ConfigMap and Secret payloads. */
export const MAX_DATA_SIZE = 1024 * 1024;

const asConfigMap = (obj: KubeObject): ConfigMap => obj as unknown as ConfigMap;

/** Validates the keys of a data map; each error is reported at `path[key]`, as upstream does. */
export function validateDataKeys(data: Readonly<Record<string, unknown>> | undefined, path: string): FieldError[] {
  return Object.keys(data ?? {}).flatMap((key) => each(`${path}[${key}]`, key, isConfigMapKey(key)));
}

/** Rejects changes to `immutable` objects: data fields frozen, `immutable` not unset. */
export function validateImmutableData(
  next: KubeObject,
  prev: KubeObject,
  dataFields: readonly string[],
): FieldError[] {
  if (prev.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (next.immutable !== true) errs.push(fieldError.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const field of dataFields) {
    if (!semanticEqual(next[field] ?? {}, prev[field] ?? {})) {
      errs.push(fieldError.forbidden(field, 'field is immutable when `immutable` is set'));
    }
  }
  return errs;
}

function validateConfigMap(configMap: ConfigMap): FieldError[] {
  const errs = [...validateDataKeys(configMap.data, 'data'), ...validateDataKeys(configMap.binaryData, 'binaryData')];
  let total = 0;
  for (const value of Object.values(configMap.data ?? {})) total += Buffer.byteLength(String(value));
  for (const [key, value] of Object.entries(configMap.binaryData ?? {})) {
    if (configMap.data && key in configMap.data) {
      errs.push(fieldError.invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    }
    total += Buffer.from(String(value), 'base64').length;
  }
  if (total > MAX_DATA_SIZE) errs.push(fieldError.tooLong('', MAX_DATA_SIZE));
  return errs;
}

/** The configmaps strategy (no upstream defaults beyond an empty data map on decode). */
export const configMapStrategy: Strategy = {
  validate(obj) {
    return validateConfigMap(asConfigMap(obj));
  },
  validateUpdate(obj, old) {
    return validateImmutableData(obj, old, ['data', 'binaryData']);
  },
};
