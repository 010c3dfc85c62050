/**
 * The ownership bookkeeping shared by apply and update (structured-merge-diff's
 * Updater.update): compare the object before and after a change; every other
 * manager that owns a changed or added field conflicts (or, when forced, loses
 * it); every manager loses removed fields; managers left with nothing are dropped.
 */
import type { PatchSchema } from '../patch/schema.js';
import { compareObjects, type Comparison } from './compare.js';
import type { ApplyConflict } from './conflicts.js';
import type { Managed } from './managed-fields.js';
import type { FieldPath } from './path-element.js';

/** Options of one ownership pass. */
export interface OwnershipPass {
  schema: PatchSchema | undefined;
  /** Subtrees that do not take part (reset fields such as `status` on the main resource). */
  ignored: readonly FieldPath[];
  /** The identity of the manager making the change; it never conflicts with itself. */
  self: string;
  force: boolean;
}

/**
 * Updates `managed` in place for the change `before` → `after`; returns the
 * comparison, or the conflicts (leaving `managed` untouched) when not forced.
 */
export function reassignOwnership(
  before: unknown,
  after: unknown,
  managed: Managed,
  pass: OwnershipPass,
): { comparison: Comparison } | { conflicts: ApplyConflict[] } {
  const raw = compareObjects(before, after, pass.schema);
  const comparison: Comparison = {
    added: raw.added.withoutSubtrees(pass.ignored),
    modified: raw.modified.withoutSubtrees(pass.ignored),
    removed: raw.removed.withoutSubtrees(pass.ignored),
  };
  const changed = comparison.modified.union(comparison.added);
  const conflicts: ApplyConflict[] = [];
  const taken = new Map<string, ReturnType<typeof changed.intersection>>();
  for (const [id, entry] of managed) {
    if (id === pass.self) continue;
    const clash = entry.fields.intersection(changed);
    if (clash.isEmpty()) continue;
    taken.set(id, clash);
    for (const path of clash.paths()) conflicts.push({ manager: entry, path });
  }
  if (!pass.force && conflicts.length > 0) return { conflicts };

  for (const [id, entry] of [...managed]) {
    if (id === pass.self) continue;
    let fields = entry.fields;
    const clash = taken.get(id);
    if (clash !== undefined) fields = fields.difference(clash);
    fields = fields.difference(comparison.removed);
    if (fields.isEmpty()) managed.delete(id);
    else managed.set(id, { ...entry, fields });
  }
  return { comparison };
}
