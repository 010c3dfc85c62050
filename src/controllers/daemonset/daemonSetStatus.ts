/**
 * The status a DaemonSet reports (upstream `updateDaemonSetStatus`): over the nodes,
 * how many should run its pod, have one, have a Ready, available or updated one (the
 * oldest pod of each node counts), and run one though they should not.
 */
import type { DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import { isPodAvailable, isPodReady } from '../replicaset/podState.js';
import { isPodUpdated } from './daemonPodTemplate.js';
import type { DaemonSetObject } from './daemonSetKind.js';
import type { NodePods } from './nodePods.js';

/** The status of `ds` over its `grouped` pods at revision hash `hash`, at `now` (ms). */
export function computeDaemonStatus(ds: DaemonSetObject, grouped: NodePods, hash: string, collisionCount: number, now: number): DaemonSetStatus {
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  const status = {
    observedGeneration: ds.metadata.generation ?? 0,
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    numberAvailable: 0,
    updatedNumberScheduled: 0,
    numberUnavailable: 0,
    collisionCount,
  };
  for (const { verdict, pods } of grouped.nodes) {
    if (!verdict.shouldRun) {
      if (pods.length > 0) status.numberMisscheduled++;
      continue;
    }
    status.desiredNumberScheduled++;
    const pod = pods[0];
    if (pod === undefined) continue;
    status.currentNumberScheduled++;
    if (isPodReady(pod)) {
      status.numberReady++;
      if (isPodAvailable(pod, minReadySeconds, now)) status.numberAvailable++;
    }
    if (isPodUpdated(ds, pod, hash)) status.updatedNumberScheduled++;
  }
  status.numberUnavailable = status.desiredNumberScheduled - status.numberAvailable;
  const conditions = ds.status?.conditions;
  return conditions !== undefined ? { ...status, conditions } : status;
}

/** True when `next` differs from what `ds` reports now (so it must be written). */
export function daemonStatusChanged(ds: DaemonSetObject, next: DaemonSetStatus): boolean {
  const fields = [
    'observedGeneration',
    'desiredNumberScheduled',
    'currentNumberScheduled',
    'numberMisscheduled',
    'numberReady',
    'numberAvailable',
    'updatedNumberScheduled',
    'numberUnavailable',
    'collisionCount',
  ] as const;
  return fields.some((field) => (ds.status?.[field] ?? 0) !== (next[field] ?? 0));
}

/** Upstream's `omitempty` status fields: written as null (absent) when zero. */
const OMITTED_WHEN_ZERO = ['observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable', 'collisionCount'] as const;

/** The merge patch body writing `status` as upstream serializes it (zero `omitempty` counts absent). */
export function daemonStatusPatch(status: DaemonSetStatus): { status: Record<string, unknown> } {
  const body: Record<string, unknown> = { ...status };
  for (const field of OMITTED_WHEN_ZERO) if (!status[field]) body[field] = null;
  return { status: body };
}
