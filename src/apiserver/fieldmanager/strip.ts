/**
 * What field management never tracks: type and object identity metadata (upstream's
 * stripMeta set), and the managedFields themselves. Also the value clean-up applied
 * to merged objects (a `null` field means "absent" in a stored object).
 */
import { deepCopy, isPlainObject, type KubeObject } from '../../api/object.js';
import type { PatchSchema } from '../patch/schema.js';
import { FieldSet } from './field-set.js';
import { fieldElement } from './path-element.js';

const meta = (name: string) => [fieldElement('metadata'), fieldElement(name)];

/** Paths no manager ever owns. */
export const STRIPPED_FIELDS = FieldSet.of(
  [fieldElement('apiVersion')],
  [fieldElement('kind')],
  [fieldElement('metadata')],
  meta('name'),
  meta('namespace'),
  meta('creationTimestamp'),
  meta('selfLink'),
  meta('uid'),
  meta('clusterName'),
  meta('generation'),
  meta('managedFields'),
  meta('resourceVersion'),
);

/** A deep copy of `obj` without `metadata.managedFields`. */
export function withoutManagedFields(obj: object): Record<string, unknown> {
  const copy = deepCopy(obj) as Record<string, unknown>;
  const metadata = copy.metadata;
  if (isPlainObject(metadata)) delete metadata.managedFields;
  return copy;
}

/** Root fields a typed object always carries, even when empty (Go zero-value structs). */
const TYPED_ROOT_STRUCTS = ['metadata', 'spec', 'status'] as const;

/**
 * `obj` as upstream compares typed objects: root structs the schema declares
 * (`metadata`, `spec`, `status`) present as `{}` when missing. Custom resources
 * (`unstructured`) are compared as they are. Returns a shallow copy.
 */
export function asTypedForComparison(obj: Record<string, unknown>, schema: PatchSchema | undefined, unstructured: boolean): Record<string, unknown> {
  if (unstructured || schema === undefined) return obj;
  const out = { ...obj };
  for (const key of TYPED_ROOT_STRUCTS) {
    if (out[key] === undefined && schema.property(key) !== undefined) out[key] = {};
  }
  return out;
}

/** Removes `null` map values at every depth (in place) and returns the value. */
export function dropNullFields<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) dropNullFields(item);
  } else if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (child === null) delete value[key];
      else dropNullFields(child);
    }
  }
  return value;
}

/** Sets or clears `metadata.managedFields` on an object. */
export function setManagedFields(obj: KubeObject, entries: KubeObject['metadata']['managedFields']): void {
  if (!isPlainObject(obj.metadata)) obj.metadata = {};
  if (entries === undefined) delete obj.metadata.managedFields;
  else obj.metadata.managedFields = entries;
}
