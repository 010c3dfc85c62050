/**
 * managedFields for writes that are not apply (create, update, non-apply patch),
 * as upstream's FieldManager.Update does it.
 */
import type { KubeObject } from '../../api/object.js';
import type { PatchSchema } from '../patch/schema.js';
import { decodeManagedFields, encodeManagedFields, isResetManagedFields, type Managed } from './managed-fields.js';
import type { FieldPath } from './path-element.js';
import { recordUpdate } from './record-update.js';
import { asTypedForComparison, setManagedFields, withoutManagedFields } from './strip.js';

/** Options of `updateManagedFields`. */
export interface UpdateManagedFieldsOptions {
  /** The manager: the fieldManager parameter, else `managerOrUserAgent`'s result ('' becomes `unknown`). */
  manager: string;
  /** `group/version` (or `v1`) of the request. */
  apiVersion: string;
  /** Set for writes through a subresource (`status`, `scale`). */
  subresource?: string;
  /** Schema of the object's root; undefined treats the object as schemaless. */
  schema: PatchSchema | undefined;
  /** Subtrees excluded from tracking on this endpoint (e.g. `[[f:status]]` on the main resource). */
  ignoredFields?: readonly FieldPath[];
  /** True for custom resources: no typed zero-value structs are assumed (see asTypedForComparison). */
  unstructured?: boolean;
  /** Clock; defaults to the current time. */
  now?: () => Date;
}

/**
 * Returns a copy of `updated` whose `metadata.managedFields` record this write.
 * `old` is the stored object (undefined for a create). Rules, as upstream:
 * - through a subresource, managedFields sent in the request are ignored;
 * - `managedFields: []` (or `[{}]`) resets tracking; on an existing object nothing is
 *   tracked afterwards until the next apply;
 * - managedFields sent in the request that decode are taken as the starting point
 *   (so clients can edit them); missing or broken ones fall back to the stored ones;
 * - an existing object with no managedFields stays untracked.
 */
export function updateManagedFields<T extends KubeObject>(old: T | undefined, updated: T, opts: UpdateManagedFieldsOptions): T {
  const managed = startingPoint(old, updated, opts.subresource !== undefined && opts.subresource !== '');
  const after = withoutManagedFields(updated) as T;
  const exists = old !== undefined && Boolean(old.metadata?.uid);
  if (managed.size === 0 && exists) {
    setManagedFields(after, undefined);
    return after;
  }
  const typed = (obj: Record<string, unknown>) => asTypedForComparison(obj, opts.schema, opts.unstructured ?? false);
  const before = typed(old === undefined ? {} : withoutManagedFields(old));
  recordUpdate(before, typed(after), managed, {
    manager: opts.manager,
    apiVersion: opts.apiVersion,
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
    schema: opts.schema,
    ignored: opts.ignoredFields ?? [],
    now: (opts.now ?? (() => new Date()))(),
  });
  setManagedFields(after, encodeManagedFields(managed));
  return after;
}

function startingPoint(old: KubeObject | undefined, updated: KubeObject, isSubresource: boolean): Managed {
  const stored = () => tryDecode(old?.metadata?.managedFields);
  if (isSubresource) return stored();
  const sent = updated.metadata?.managedFields;
  if (isResetManagedFields(sent)) return new Map();
  const decoded = tryDecode(sent);
  return decoded.size > 0 ? decoded : stored();
}

function tryDecode(entries: KubeObject['metadata']['managedFields']): Managed {
  try {
    return decodeManagedFields(entries);
  } catch {
    return new Map();
  }
}
