/**
 * Apply conflicts: fields an applier would change that other managers own. Rendered
 * as upstream's 409: `Apply failed with 1 conflict: conflict with "m" using v1: .spec.x`,
 * or for several, grouped by manager in sorted order, one `- path` line each.
 */
import { StatusError } from '../../api/status.js';
import type { ManagerEntry } from './managed-fields.js';
import { formatPath, type FieldPath } from './path-element.js';

/** One conflicting field and the manager that owns it. */
export interface ApplyConflict {
  manager: ManagerEntry;
  path: FieldPath;
}

/** `"name"`, `"name" with subresource "status"`, and for Update managers ` using apps/v1`. */
export function describeManager(entry: ManagerEntry): string {
  let text = JSON.stringify(entry.manager);
  if (entry.subresource) text += ` with subresource ${JSON.stringify(entry.subresource)}`;
  if (entry.operation === 'Update') text += ` using ${entry.apiVersion}`;
  return text;
}

/** The 409 Conflict for a non-empty list of conflicts. */
export function applyConflictError(conflicts: readonly ApplyConflict[]): StatusError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict' as const,
    message: `conflict with ${describeManager(c.manager)}`,
    field: formatPath(c.path),
  }));
  return new StatusError(409, 'Conflict', conflictMessage(conflicts), { causes });
}

function conflictMessage(conflicts: readonly ApplyConflict[]): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only !== undefined) {
    return `Apply failed with 1 conflict: conflict with ${describeManager(only.manager)}: ${formatPath(only.path)}`;
  }
  const byManager = new Map<string, ApplyConflict[]>();
  for (const c of conflicts) {
    const name = describeManager(c.manager);
    byManager.set(name, [...(byManager.get(name) ?? []), c]);
  }
  const lines: string[] = [];
  for (const name of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${name}:`);
    for (const c of byManager.get(name) ?? []) lines.push(`- ${formatPath(c.path)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
