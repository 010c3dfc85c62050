/**
 * Server-side apply (`application/apply-patch+yaml`), as upstream's FieldManager.Apply
 * with structured-merge-diff: merge the applied configuration into the live object,
 * remove what this manager applied last time and no longer applies (unless someone
 * else owns it), detect conflicts with other managers, and record ownership.
 */
import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { deepCopy, isPlainObject, type KubeObject } from '../../api/object.js';
import { StatusError, badRequest } from '../../api/status.js';
import type { PatchSchema } from '../patch/schema.js';
import { applyConflictError, type ApplyConflict } from './conflicts.js';
import { KUBECTL_MANAGER, fieldsAllowedFromLastApplied, syncLastApplied } from './last-applied.js';
import type { FieldSet } from './field-set.js';
import { decodeManagedFields, encodeManagedFields, formatTime, managerIdentity, type Managed, type ManagerEntry } from './managed-fields.js';
import { ApplyConfigError, mergeApplied } from './merge.js';
import { reassignOwnership } from './ownership.js';
import type { FieldPath } from './path-element.js';
import { recordUpdate } from './record-update.js';
import { removeFields } from './remove.js';
import { STRIPPED_FIELDS, asTypedForComparison, dropNullFields, setManagedFields, withoutManagedFields } from './strip.js';
import { toFieldSet } from './to-field-set.js';

/** Options of `applyPatch`. */
export interface ApplyOptions {
  /** The fieldManager query parameter (required for apply; the handler validates it). */
  manager: string;
  /** The force query parameter. */
  force: boolean;
  /** `group/version` (or `v1`) and kind of the endpoint; the applied object must match. */
  apiVersion: string;
  kind: string;
  /** Set when applying through a subresource. */
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

/** The outcome of an apply. */
export interface ApplyResult<T extends KubeObject> {
  /** The object to store, with `metadata.managedFields` set. */
  object: T;
  /** False when the apply changed no field of the object (managedFields may still change). */
  changed: boolean;
}

/**
 * Applies `applied` (the parsed request body) to `live` (undefined: the object does
 * not exist and is created). Throws StatusError: 400 for a body of the wrong type or
 * carrying managedFields, 409 Conflict listing conflicts when not forced.
 */
export function applyPatch<T extends KubeObject>(live: T | undefined, applied: unknown, opts: ApplyOptions): ApplyResult<T> {
  const config = checkAppliedObject(applied, opts);
  let result = applyOnce(live, config, opts, opts.force);
  if ('conflicts' in result && opts.manager === KUBECTL_MANAGER && live !== undefined) {
    // Moving from client-side to server-side apply: fields still as last applied are kubectl's to take.
    const allowed = fieldsAllowedFromLastApplied(withoutManagedFields(live), opts.apiVersion, opts.schema);
    if (allowed !== undefined) {
      const remaining = result.conflicts.filter((c) => !allowed.has(c.path));
      result = remaining.length === 0 ? applyOnce(live, config, opts, true) : { conflicts: remaining };
    }
  }
  if ('conflicts' in result) throw applyConflictError(result.conflicts);
  if (opts.manager === KUBECTL_MANAGER) syncLastApplied(result.object, config);
  return result;
}

function applyOnce<T extends KubeObject>(
  live: T | undefined,
  config: Record<string, unknown>,
  opts: ApplyOptions,
  force: boolean,
): ApplyResult<T> | { conflicts: ApplyConflict[] } {
  const now = (opts.now ?? (() => new Date()))();
  const ignored = opts.ignoredFields ?? [];
  const managed = safeDecode(live);
  const before = live === undefined ? {} : withoutManagedFields(live);
  const common = { schema: opts.schema, ignored };
  const typed = (obj: Record<string, unknown>) => asTypedForComparison(obj, opts.schema, opts.unstructured ?? false);

  if (managed.size === 0) {
    // Everything already there belongs to a placeholder manager, so a first apply cannot silently take it.
    recordUpdate(typed({}), typed(before), managed, { ...common, manager: 'before-first-apply', apiVersion: opts.apiVersion, now });
  }

  const identity: Omit<ManagerEntry, 'fields'> = { manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion };
  if (opts.subresource) identity.subresource = opts.subresource;
  const self = managerIdentity(identity);
  const previous = managed.get(self);

  let merged: unknown;
  let appliedSet: FieldSet;
  try {
    merged = mergeApplied(before, config, opts.schema);
    appliedSet = toFieldSet(config, opts.schema).withoutSubtrees(ignored);
  } catch (err) {
    if (err instanceof ApplyConfigError) throw badRequest(`failed to create typed patch object (${gvkString(config)}): ${err.message}`);
    throw err;
  }
  managed.set(self, { ...identity, ...(previous?.time ? { time: previous.time } : {}), fields: appliedSet });
  merged = dropNullFields(prune(merged, managed, previous?.fields, opts.schema));

  const outcome = reassignOwnership(typed(before), typed(merged as Record<string, unknown>), managed, { ...common, self, force });
  if ('conflicts' in outcome) return outcome;

  const mine = appliedSet.difference(STRIPPED_FIELDS);
  const changed = !isDeepStrictEqual(before, merged);
  if (mine.isEmpty()) managed.delete(self);
  else managed.set(self, { ...identity, ...(changed ? { time: formatTime(now) } : previous?.time ? { time: previous.time } : {}), fields: mine });

  const object = (changed ? merged : deepCopy(before)) as T;
  setManagedFields(object, encodeManagedFields(managed));
  return { object, changed };
}

/**
 * Parses an apply request body (YAML or JSON, `application/apply-patch+yaml`).
 * Throws 400 `error decoding patch: …` when it is not a YAML/JSON object.
 */
export function parseApplyBody(body: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseYaml(body);
  } catch (err) {
    throw badRequest(`error decoding patch: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isPlainObject(parsed)) throw badRequest('error decoding patch: the applied configuration must be an object');
  return parsed;
}

function checkAppliedObject(applied: unknown, opts: ApplyOptions): Record<string, unknown> {
  if (!isPlainObject(applied)) throw badRequest('error decoding patch: the applied configuration must be an object');
  if (applied.apiVersion !== opts.apiVersion || applied.kind !== opts.kind) {
    throw badRequest(`invalid object type: ${gvkString(applied)}`);
  }
  const metadata = applied.metadata;
  if (isPlainObject(metadata) && metadata.managedFields !== undefined) {
    throw badRequest('metadata.managedFields must be nil');
  }
  return applied;
}

/** Upstream's GroupVersionKind.String(): `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`. */
function gvkString(obj: Record<string, unknown>): string {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const slash = apiVersion.indexOf('/');
  const [group, version] = slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  return `${group}/${version}, Kind=${kind}`;
}

/**
 * Removes what this manager applied last time and no longer applies, unless another
 * manager (or this one's new configuration) still owns it.
 */
function prune(merged: unknown, managed: Managed, lastApplied: FieldSet | undefined, schema: PatchSchema | undefined): unknown {
  if (lastApplied === undefined || lastApplied.isEmpty()) return merged;
  let owned: FieldSet | undefined;
  for (const entry of managed.values()) owned = owned === undefined ? entry.fields : owned.union(entry.fields);
  const last = lastApplied.withNamedFieldsAsMembers(schema);
  const orphaned = owned === undefined ? last : last.difference(owned.withNamedFieldsAsMembers(schema));
  return removeFields(merged, orphaned, schema) ?? {};
}

function safeDecode(live: KubeObject | undefined): Managed {
  try {
    return decodeManagedFields(live?.metadata?.managedFields);
  } catch (err) {
    throw new StatusError(500, 'InternalError', `failed to decode managed fields: ${err instanceof Error ? err.message : String(err)}`);
  }
}
