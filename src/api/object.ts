/**
 * The shape every stored API object has: apiVersion, kind and ObjectMeta, plus
 * whatever fields its type defines. Typed views come from `kubernetes-types`.
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

/** Any API object. `metadata` is always present once an object has passed decoding. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** A list as the API returns it. */
export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** True for a non-null, non-array object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of a JSON value. */
export function deepCopy<T>(value: T): T {
  return structuredClone(value);
}
