/**
 * The shape every stored API object has: apiVersion, kind and ObjectMeta, plus
 * whatever fields its type defines. Typed views come from `kubernetes-types`.
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

/** `T` with every property writable (kubernetes-types marks server-set fields readonly). */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** ObjectMeta as the server handles it: system fields are writable here. */
export type ObjectMetaFields = Writable<ObjectMeta>;

/** Any API object. `metadata` is always present once an object has passed decoding. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMetaFields;
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
