/**
 * The status conditions a terminating namespace carries, as upstream's namespace
 * deleter sets them: five condition types, each `False` with a fixed reason and
 * message while all is well, `True` with the problem otherwise. Every deletion pass
 * reports all five.
 */
import type { NamespaceCondition, NamespaceStatus } from 'kubernetes-types/core/v1.js';
import { GroupDiscoveryFailedError } from '../../client/index.js';

/** The condition types the namespace controller maintains, in the order it writes them. */
export const NAMESPACE_DELETION_CONDITIONS = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

/** One of the namespace deletion condition types. */
export type NamespaceDeletionCondition = (typeof NAMESPACE_DELETION_CONDITIONS)[number];

const OK: Readonly<Record<NamespaceDeletionCondition, { reason: string; message: string }>> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

/** What one deletion pass found wrong; absent or empty fields mean that part went well. */
export interface DeletionFindings {
  /** Discovery failed, wholly or for some group-versions. */
  discoveryError?: Error;
  /** Group-versions that did not parse. */
  groupVersionErrors?: readonly Error[];
  /** Resources whose content could not be deleted. */
  contentErrors?: readonly Error[];
  /** `pods.` / `deployments.apps` → how many objects remain. */
  remainingByResource?: ReadonlyMap<string, number>;
  /** Finalizer → how many remaining objects carry it. */
  remainingByFinalizer?: ReadonlyMap<string, number>;
}

/** A problem condition: `True` with a reason and message. */
type Problem = { reason: string; message: string };

/** The `True` conditions for `findings`, by type. */
function problems(findings: DeletionFindings): Map<NamespaceDeletionCondition, Problem> {
  const out = new Map<NamespaceDeletionCondition, Problem>();
  const { discoveryError, groupVersionErrors = [], contentErrors = [] } = findings;
  if (discoveryError !== undefined) out.set('NamespaceDeletionDiscoveryFailure', { reason: 'DiscoveryFailed', message: discoveryMessage(discoveryError) });
  if (groupVersionErrors.length > 0) {
    out.set('NamespaceDeletionGroupVersionParsingFailure', { reason: 'GroupVersionParsingFailed', message: aggregateMessage(groupVersionErrors) });
  }
  if (contentErrors.length > 0) {
    const messages = contentErrors.map((e) => e.message).sort();
    out.set('NamespaceDeletionContentFailure', {
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${contentErrors.length} remaining: ${messages.join(', ')}`,
    });
  }
  const resources = counted(findings.remainingByResource, (resource, n) => `${resource} has ${n} resource instances`);
  if (resources.length > 0) out.set('NamespaceContentRemaining', { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${resources.join(', ')}` });
  const finalizers = counted(findings.remainingByFinalizer, (finalizer, n) => `${finalizer} in ${n} resource instances`);
  if (finalizers.length > 0) {
    out.set('NamespaceFinalizersRemaining', {
      reason: 'SomeFinalizersRemain',
      message: `Some content in the namespace has finalizers remaining: ${finalizers.join(', ')}`,
    });
  }
  return out;
}

function discoveryMessage(err: Error): string {
  if (!(err instanceof GroupDiscoveryFailedError)) return err.message;
  return `Discovery failed for some groups, ${err.groups.size} failing: ${err.message}`;
}

/** One error's message, or several in brackets (upstream's aggregate error). */
export function aggregateMessage(errors: readonly Error[]): string {
  return errors.length === 1 ? errors[0]!.message : `[${errors.map((e) => e.message).join(', ')}]`;
}

/** Sorted descriptions of the non-zero counts. */
function counted(counts: ReadonlyMap<string, number> | undefined, describe: (key: string, n: number) => string): string[] {
  return [...(counts ?? [])].filter(([, n]) => n > 0).map(([key, n]) => describe(key, n)).sort();
}

/** RFC 3339 at second precision, as `metav1.Time` is written. */
function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Writes the five deletion conditions for `findings` into `status`: a missing one is
 * added, one whose status, reason or message differs is changed (its
 * lastTransitionTime moves only when its status flips), others are left alone.
 * Returns true when anything changed.
 */
export function applyDeletionConditions(status: NamespaceStatus, findings: DeletionFindings, nowMs: number): boolean {
  const wanted = problems(findings);
  const conditions: NamespaceCondition[] = (status.conditions ??= []);
  let changed = false;
  for (const type of NAMESPACE_DELETION_CONDITIONS) {
    const problem = wanted.get(type);
    const next = problem === undefined ? { status: 'False', ...OK[type] } : { status: 'True', ...problem };
    const current = conditions.find((c) => c.type === type);
    if (current === undefined) {
      conditions.push({ type, status: next.status, lastTransitionTime: formatTime(nowMs), reason: next.reason, message: next.message });
      changed = true;
    } else if (current.status !== next.status || current.reason !== next.reason || current.message !== next.message) {
      if (current.status !== next.status) current.lastTransitionTime = formatTime(nowMs);
      Object.assign(current, next);
      changed = true;
    }
  }
  return changed;
}
