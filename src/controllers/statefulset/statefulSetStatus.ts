/**
 * The status a StatefulSet reports (upstream `computeReplicaStatus`,
 * `completeRollingUpdate`, `inconsistentStatus`): counts of its pods, Ready ones,
 * available ones (minReadySeconds), ones at the current and at the update revision;
 * once a rolling update has every pod updated and Ready, the update revision becomes
 * the current one.
 */
import type { StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { PodObject } from '../replicaset/podState.js';
import { isRunningAndAvailable, isRunningAndReady, isTerminating } from './podHealth.js';
import { podRevision } from './statefulPod.js';
import type { StatefulSetObject } from './statefulSetKind.js';

/** The revisions a status names. */
export interface StatusRevisions {
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
}

/** The status of `set` with these member `pods` (created ones, terminating included) at `now` (ms). */
export function computeStatus(set: StatefulSetObject, pods: readonly PodObject[], revisions: StatusRevisions, now: number): StatefulSetStatus {
  const minReadySeconds = set.spec?.minReadySeconds ?? 0;
  const status = {
    observedGeneration: set.metadata.generation ?? 0,
    replicas: pods.length,
    readyReplicas: 0,
    availableReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
    currentRevision: revisions.currentRevision,
    updateRevision: revisions.updateRevision,
    collisionCount: revisions.collisionCount,
  };
  for (const pod of pods) {
    if (isRunningAndReady(pod)) {
      status.readyReplicas++;
      if (isRunningAndAvailable(pod, minReadySeconds, now)) status.availableReplicas++;
    }
    if (isTerminating(pod)) continue;
    const revision = podRevision(pod);
    if (revision === revisions.currentRevision) status.currentReplicas++;
    if (revision === revisions.updateRevision) status.updatedReplicas++;
  }
  const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  if (rolling && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
  const conditions = set.status?.conditions;
  return conditions !== undefined ? { ...status, conditions } : status;
}

/** True when `next` differs from what `set` reports now (so it must be written). */
export function statusChanged(set: StatefulSetObject, next: StatefulSetStatus): boolean {
  const now = set.status;
  const fields = ['observedGeneration', 'replicas', 'readyReplicas', 'availableReplicas', 'currentReplicas', 'updatedReplicas', 'collisionCount'] as const;
  if (fields.some((field) => (now?.[field] ?? 0) !== (next[field] ?? 0))) return true;
  return (now?.currentRevision ?? '') !== (next.currentRevision ?? '') || (now?.updateRevision ?? '') !== (next.updateRevision ?? '');
}

/** Upstream's `omitempty` status fields: written as null (absent) when zero. */
const OMITTED_WHEN_ZERO = ['observedGeneration', 'readyReplicas', 'currentReplicas', 'updatedReplicas'] as const;

/** The merge patch body writing `status` as upstream serializes it (zero `omitempty` counts absent). */
export function statusPatch(status: StatefulSetStatus): { status: Record<string, unknown> } {
  const body: Record<string, unknown> = { ...status };
  for (const field of OMITTED_WHEN_ZERO) if (!status[field]) body[field] = null;
  return { status: body };
}
