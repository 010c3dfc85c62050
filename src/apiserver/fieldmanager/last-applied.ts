/**
 * Hand-over from client-side apply (the `kubectl.kubernetes.io/last-applied-configuration`
 * annotation) to server-side apply, for the `kubectl` manager only, as upstream does:
 * conflicts on fields whose live value still matches the annotation are allowed, and
 * after an apply the annotation (if present) is rewritten from the applied object.
 */
import { isPlainObject } from '../../api/object.js';
import type { PatchSchema } from '../patch/schema.js';
import { compareObjects } from './compare.js';
import type { FieldSet } from './field-set.js';
import { toFieldSet } from './to-field-set.js';

/** The annotation client-side apply keeps. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** The only manager whose applies take part in the hand-over. */
export const KUBECTL_MANAGER = 'kubectl';
/** Upstream's limit on the total size of an object's annotations. */
const ANNOTATIONS_SIZE_LIMIT = 256 * 1024;

function annotationsOf(obj: Record<string, unknown>): Record<string, string> | undefined {
  const metadata = obj.metadata;
  if (!isPlainObject(metadata) || !isPlainObject(metadata.annotations)) return undefined;
  return metadata.annotations as Record<string, string>;
}

/**
 * The fields kubectl may take over without conflict: those of the last-applied
 * configuration whose live value is unchanged. Undefined when there is no usable
 * annotation (missing, not JSON, or of another apiVersion).
 */
export function fieldsAllowedFromLastApplied(live: Record<string, unknown>, apiVersion: string, schema: PatchSchema | undefined): FieldSet | undefined {
  const text = annotationsOf(live)?.[LAST_APPLIED_ANNOTATION];
  if (!text) return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(lastApplied) || lastApplied.apiVersion !== apiVersion) return undefined;
  const diff = compareObjects(lastApplied, live, schema);
  return toFieldSet(lastApplied, schema).difference(diff.modified).difference(diff.added).difference(diff.removed);
}

/** Rewrites the annotation of `result` from `applied`, if `result` has one (in place). */
export function syncLastApplied(result: Record<string, unknown>, applied: Record<string, unknown>): void {
  const annotations = annotationsOf(result);
  if (!annotations?.[LAST_APPLIED_ANNOTATION]) return;
  const source = structuredClone(applied);
  const own = annotationsOf(source);
  if (own !== undefined) delete own[LAST_APPLIED_ANNOTATION];
  annotations[LAST_APPLIED_ANNOTATION] = `${goJson(source)}\n`;
  const size = Object.entries(annotations).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (size > ANNOTATIONS_SIZE_LIMIT) delete annotations[LAST_APPLIED_ANNOTATION];
}

/** JSON as Go's encoder writes a map: keys sorted, `<`, `>`, `&` escaped. */
function goJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (isPlainObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]));
    return v;
  };
  return JSON.stringify(sorted(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
