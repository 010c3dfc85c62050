/**
 * Reading the ControllerRevisions of one owner (upstream `controller/history`): which
 * ones it controls, their order by revision number, the next number, which hold the
 * same data as a candidate, and which fall beyond `revisionHistoryLimit`.
 */
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../api/object.js';
import { canonicalJson } from './templatePatch.js';

/** A ControllerRevision as the informer caches it. */
export type RevisionObject = KubeObject & ControllerRevision;

/** Upstream `ControllerRevisionHashLabelKey`: the revision's hash, on the revision and (for owners that use it) on pods. */
export const REVISION_HASH_LABEL = 'controller-revision-hash';

/** The revisions of `revisions` controlled by the object with uid `ownerUid`. */
export function revisionsOwnedBy(revisions: readonly RevisionObject[], ownerUid: string | undefined): RevisionObject[] {
  return revisions.filter((rev) => rev.metadata.ownerReferences?.some((ref) => ref.controller === true && ref.uid === ownerUid) === true);
}

/** `revisions` oldest first: by revision number, then by name. */
export function sortedByRevision(revisions: readonly RevisionObject[]): RevisionObject[] {
  return [...revisions].sort((a, b) => a.revision - b.revision || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

/** The number the next revision gets: one more than the highest (1 for the first). */
export function nextRevisionNumber(revisions: readonly RevisionObject[]): number {
  return revisions.reduce((max, rev) => Math.max(max, rev.revision), 0) + 1;
}

/** True when both revisions hold the same data. */
export function sameData(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

/** The revisions (sorted oldest first) whose data equals `data`. */
export function revisionsWithData(revisions: readonly RevisionObject[], data: unknown): RevisionObject[] {
  return sortedByRevision(revisions).filter((rev) => sameData(rev.data, data));
}

/**
 * The revisions to delete so that at most `limit` revisions not named in `live` remain:
 * the oldest of the ones not in use.
 */
export function revisionsBeyondLimit(revisions: readonly RevisionObject[], live: ReadonlySet<string>, limit: number): RevisionObject[] {
  const unused = sortedByRevision(revisions).filter((rev) => !live.has(rev.metadata.name ?? ''));
  return unused.slice(0, Math.max(0, unused.length - Math.max(0, limit)));
}
