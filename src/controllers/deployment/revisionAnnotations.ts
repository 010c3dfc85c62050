/**
 * The annotations a deployment keeps on its ReplicaSets (upstream deployment util):
 * `deployment.kubernetes.io/revision` (the rollout sequence), `revision-history` (the
 * revisions a reused ReplicaSet served before), `desired-replicas` and `max-replicas`
 * (the deployment's size when the set was last scaled, for proportional scaling), and
 * the deployment's own annotations (e.g. `kubernetes.io/change-cause`) copied over.
 */
import type { DeploymentObject, ReplicaSetObject } from './objects.js';
import { specReplicas } from './objects.js';
import { maxSurge } from './rolloutBounds.js';

/** The rollout sequence number of a ReplicaSet, mirrored on its deployment. */
export const REVISION = 'deployment.kubernetes.io/revision';
/** Earlier revisions a ReplicaSet served, comma-separated. */
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
/** `spec.replicas` of the deployment when the ReplicaSet was last scaled. */
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
/** `spec.replicas + maxSurge` of the deployment when the ReplicaSet was last scaled. */
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
/** Upstream's cap on the length of `revision-history`. */
const MAX_REVISION_HISTORY_CHARS = 2000;

/** Annotations never copied between a deployment and its ReplicaSets (upstream `annotationsToSkip`). */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

/** The revision of `obj` (0 without one); NaN when the annotation is not a number. */
export function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } } | undefined): number {
  const text = obj?.metadata?.annotations?.[REVISION];
  if (text === undefined) return 0;
  return /^\d+$/.test(text) ? Number(text) : NaN;
}

/** Upstream `MaxRevision`: the highest readable revision among `sets` (0 for none). */
export function maxRevision(sets: readonly ReplicaSetObject[]): number {
  return sets.reduce((max, rs) => {
    const revision = revisionOf(rs);
    return Number.isNaN(revision) ? max : Math.max(max, revision);
  }, 0);
}

/** Copies the deployment's annotations (but the skipped ones) to `rs`; true when any changed. */
function copyDeploymentAnnotations(deployment: DeploymentObject, rs: ReplicaSetObject): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [key, value] of Object.entries(deployment.metadata.annotations ?? {})) {
    if (NOT_COPIED.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  return changed;
}

/** Upstream `SetReplicasAnnotations`: records `desired` and `max` on `rs`; true when either changed. */
export function setReplicasAnnotations(rs: ReplicaSetObject, desired: number, max: number): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  if (annotations[DESIRED_REPLICAS] !== String(desired)) {
    annotations[DESIRED_REPLICAS] = String(desired);
    changed = true;
  }
  if (annotations[MAX_REPLICAS] !== String(max)) {
    annotations[MAX_REPLICAS] = String(max);
    changed = true;
  }
  return changed;
}

/** Upstream `ReplicasAnnotationsNeedUpdate`: `rs` does not record `desired` and `max` yet. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSetObject, desired: number, max: number): boolean {
  const annotations = rs.metadata.annotations;
  return annotations?.[DESIRED_REPLICAS] !== String(desired) || annotations[MAX_REPLICAS] !== String(max);
}

/** The integer an annotation of `rs` holds, if it holds one. */
export function intAnnotation(rs: ReplicaSetObject, key: string): number | undefined {
  const text = rs.metadata.annotations?.[key];
  return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : undefined;
}

/** Appends `oldRevision` to the revision history of `rs`, dropping the oldest entries beyond upstream's length cap. */
function appendRevisionHistory(rs: ReplicaSetObject, oldRevision: string): void {
  const annotations = (rs.metadata.annotations ??= {});
  const history = annotations[REVISION_HISTORY] ?? '';
  if (history === '') {
    annotations[REVISION_HISTORY] = oldRevision;
    return;
  }
  const entries = history.split(',');
  let length = history.length + oldRevision.length + 1;
  let start = 0;
  while (length > MAX_REVISION_HISTORY_CHARS && start < entries.length) {
    length -= (entries[start]?.length ?? 0) + 1;
    start++;
  }
  if (length <= MAX_REVISION_HISTORY_CHARS) annotations[REVISION_HISTORY] = [...entries.slice(start), oldRevision].join(',');
}

/**
 * Upstream `SetNewReplicaSetAnnotations`: copies the deployment's annotations to its
 * new ReplicaSet `rs`, raises its revision to `newRevision` (remembering the one it
 * had in revision-history), and for a set about to be created (`exists` false) records
 * the replica annotations. True when anything changed.
 */
export function setNewReplicaSetAnnotations(deployment: DeploymentObject, rs: ReplicaSetObject, newRevision: number, exists: boolean): boolean {
  let changed = copyDeploymentAnnotations(deployment, rs);
  const annotations = (rs.metadata.annotations ??= {});
  const oldText = annotations[REVISION];
  const oldRevision = revisionOf(rs);
  if (Number.isNaN(oldRevision)) return false;
  if (oldRevision < newRevision) {
    annotations[REVISION] = String(newRevision);
    changed = true;
    if (oldText !== undefined) appendRevisionHistory(rs, oldText);
  }
  const replicas = specReplicas(deployment.spec);
  if (!exists && setReplicasAnnotations(rs, replicas, replicas + maxSurge(deployment))) changed = true;
  return changed;
}
