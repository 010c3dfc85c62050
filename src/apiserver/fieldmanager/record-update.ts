/**
 * Records a non-apply change in the managers' sets (upstream's Update pipeline:
 * managedFieldsUpdater + stripMeta + structured update + capManagers): the updating
 * manager gains every field it added or changed, others lose those and every removed
 * field, the manager's time moves only when it took something, and update managers
 * beyond ten are folded, oldest first, into `ancient-changes` per apiVersion.
 */
import type { PatchSchema } from '../patch/schema.js';
import { formatTime, managerIdentity, type Managed, type ManagerEntry } from './managed-fields.js';
import { reassignOwnership } from './ownership.js';
import type { FieldPath } from './path-element.js';
import { STRIPPED_FIELDS } from './strip.js';

/** Upstream's cap on managedFields entries from updates. */
export const MAX_UPDATE_MANAGERS = 10;

/** Who is updating and how. */
export interface UpdateContext {
  manager: string;
  apiVersion: string;
  subresource?: string;
  schema: PatchSchema | undefined;
  ignored: readonly FieldPath[];
  now: Date;
}

const CURRENT_OPERATION = '\0current-operation';

/** Updates `managed` in place for `before` → `after` (both without managedFields). */
export function recordUpdate(before: unknown, after: unknown, managed: Managed, ctx: UpdateContext): void {
  const outcome = reassignOwnership(before, after, managed, { schema: ctx.schema, ignored: ctx.ignored, self: CURRENT_OPERATION, force: true });
  if (!('comparison' in outcome)) return;
  const taken = outcome.comparison.modified.union(outcome.comparison.added).difference(STRIPPED_FIELDS);
  if (taken.isEmpty()) return;
  const identity: Omit<ManagerEntry, 'fields'> = { manager: ctx.manager || 'unknown', operation: 'Update', apiVersion: ctx.apiVersion };
  if (ctx.subresource) identity.subresource = ctx.subresource;
  const id = managerIdentity(identity);
  const previous = managed.get(id);
  managed.set(id, {
    ...identity,
    time: formatTime(ctx.now),
    fields: previous === undefined ? taken : taken.union(previous.fields),
  });
  capUpdateManagers(managed);
}

function capUpdateManagers(managed: Managed): void {
  const updaters = [...managed].filter(([, e]) => e.operation === 'Update');
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  const seconds = (e: ManagerEntry) => (e.time === undefined ? 0 : Math.floor(Date.parse(e.time) / 1000));
  updaters.sort(([ia, a], [ib, b]) => seconds(a) - seconds(b) || (ia < ib ? -1 : ia > ib ? 1 : 0));
  const firstOfVersion = new Map<string, string>();
  let remaining = updaters.length;
  for (const [id, entry] of updaters) {
    if (remaining <= MAX_UPDATE_MANAGERS) break;
    const first = firstOfVersion.get(entry.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(entry.apiVersion, id);
      continue;
    }
    const bucketIdentity = { manager: 'ancient-changes', operation: 'Update' as const, apiVersion: entry.apiVersion };
    const bucketId = managerIdentity(bucketIdentity);
    let bucket = managed.get(bucketId);
    if (bucket === undefined) {
      const seed = managed.get(first);
      managed.delete(first);
      bucket = { ...bucketIdentity, fields: seed?.fields ?? entry.fields };
    }
    managed.set(bucketId, { ...bucket, fields: entry.fields.union(bucket.fields), ...(entry.time ? { time: entry.time } : {}) });
    managed.delete(id);
    remaining--;
  }
}
