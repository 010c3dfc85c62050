/**
 * `metadata.managedFields` in memory: one entry per manager identity (manager name,
 * operation, subresource, and for Update also apiVersion), each with the set of
 * fields it owns. Decoding and encoding follow upstream: entries must name an
 * operation (Apply/Update), an apiVersion and fieldsType FieldsV1; encoding sorts by
 * operation, time, manager, apiVersion, subresource and drops empty sets.
 */
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1.js';
import { FieldSet } from './field-set.js';

/** The operation that made a managedFields entry. */
export type ManagedOperation = 'Apply' | 'Update';

/** One manager's ownership. */
export interface ManagerEntry {
  manager: string;
  operation: ManagedOperation;
  apiVersion: string;
  subresource?: string;
  /** RFC 3339 time of the manager's last change, if any. */
  time?: string;
  fields: FieldSet;
}

/** Every manager's entry by identity. */
export type Managed = Map<string, ManagerEntry>;

/** The identity of a manager: appliers are one manager whatever apiVersion they use. */
export function managerIdentity(entry: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  const version = entry.operation === 'Apply' ? '' : entry.apiVersion;
  return JSON.stringify([entry.manager, entry.operation, version, entry.subresource ?? '']);
}

/** Decodes managedFields; throws with upstream's reason when an entry is malformed. */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): Managed {
  const managed: Managed = new Map();
  (entries ?? []).forEach((entry, i) => {
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!entry.apiVersion) throw new Error('apiVersion must not be empty');
    if (!entry.fieldsType) throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (entry.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType "${entry.fieldsType}" in managed fields entry ${i}`);
    const decoded: ManagerEntry = {
      manager: entry.manager ?? '',
      operation: entry.operation,
      apiVersion: entry.apiVersion,
      fields: FieldSet.fromFieldsV1(entry.fieldsV1 ?? {}),
    };
    if (entry.subresource) decoded.subresource = entry.subresource;
    if (entry.time) decoded.time = entry.time;
    managed.set(managerIdentity(decoded), decoded);
  });
  return managed;
}

/** Encodes managers with non-empty sets, in upstream's order; undefined when none remain. */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] | undefined {
  const entries = [...managed.values()].filter((e) => !e.fields.isEmpty());
  if (entries.length === 0) return undefined;
  entries.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource ?? '', q.subresource ?? ''),
  );
  return entries.map((e) => {
    const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
    if (e.time !== undefined) out.time = e.time;
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = e.fields.toFieldsV1();
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
}

/** True when a request asks to reset managedFields: `[]` or `[{}]`. */
export function isResetManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): boolean {
  if (entries === undefined || entries === null) return false;
  if (entries.length === 0) return true;
  return entries.length === 1 && Object.keys(entries[0] ?? {}).length === 0;
}

/** Formats a time as upstream's metav1.Time: RFC 3339 in UTC, whole seconds. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function seconds(time: string | undefined): number {
  return time === undefined ? 0 : Math.floor(Date.parse(time) / 1000);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
