/**
 * The RollingUpdate strategy of a DaemonSet (upstream `rollingUpdate`): without
 * maxSurge, old pods are deleted (the manage step then creates their replacements)
 * while at most maxUnavailable nodes lack an available pod, unavailable old pods first
 * and freely; with maxSurge, a new pod is created next to the old one on up to maxSurge
 * nodes at a time, and the old pod goes once the new one is available.
 */
import type { PodObject } from '../replicaset/podState.js';
import { isPodAvailable } from '../replicaset/podState.js';
import { isPodUpdated } from './daemonPodTemplate.js';
import type { DaemonSetObject } from './daemonSetKind.js';
import type { NodePods } from './nodePods.js';

/** What a rolling update step changes. */
export interface RollingPlan {
  podsToDelete: PodObject[];
  createOn: string[];
}

/** A count or percentage of `total`, rounded up (upstream `GetScaledValueFromIntOrPercent` with roundUp). */
export function scaledUp(value: number | string | undefined, total: number): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (value.endsWith('%')) return Math.ceil((Number(value.slice(0, -1)) * total) / 100) || 0;
  return Number(value) || 0;
}

/** The updated and the old pod on a node (terminating ones ignored); undefined when either is not unique. */
function podsOnNode(ds: DaemonSetObject, pods: readonly PodObject[], hash: string): { updated?: PodObject; old?: PodObject } | undefined {
  const found: { updated?: PodObject; old?: PodObject } = {};
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    const slot = isPodUpdated(ds, pod, hash) ? 'updated' : 'old';
    if (found[slot] !== undefined) return undefined;
    found[slot] = pod;
  }
  return found;
}

/** One rolling update step for `ds` over its `grouped` pods at revision hash `hash`, at `now` (ms). */
export function planRollingUpdate(ds: DaemonSetObject, grouped: NodePods, hash: string, now: number): RollingPlan {
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  const relevant = grouped.nodes.filter((state) => state.verdict.shouldRun || state.pods.length > 0);
  const desired = grouped.nodes.filter((state) => state.verdict.shouldRun).length;
  const rolling = ds.spec?.updateStrategy?.rollingUpdate;
  const maxSurge = scaledUp(rolling?.maxSurge, desired);
  let maxUnavailable = scaledUp(rolling?.maxUnavailable ?? 1, desired);
  if (desired > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  const available = (pod: PodObject): boolean => isPodAvailable(pod, minReadySeconds, now);

  if (maxSurge === 0) {
    let unavailable = 0;
    const replaceable: PodObject[] = [];
    const candidates: PodObject[] = [];
    for (const { pods } of relevant) {
      const found = podsOnNode(ds, pods, hash);
      if (found === undefined || (found.updated === undefined) === (found.old === undefined)) {
        unavailable++;
      } else if (found.updated !== undefined) {
        if (!available(found.updated)) unavailable++;
      } else if (found.old !== undefined) {
        if (!available(found.old)) replaceable.push(found.old);
        else if (unavailable < maxUnavailable) candidates.push(found.old);
      }
    }
    const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    return { podsToDelete: [...replaceable, ...candidates.slice(0, room)], createOn: [] };
  }

  let surging = 0;
  const podsToDelete: PodObject[] = [];
  const replaceable: string[] = [];
  const candidates: string[] = [];
  for (const { name, pods } of relevant) {
    const found = podsOnNode(ds, pods, hash);
    if (found === undefined || found.old === undefined) continue;
    if (found.updated === undefined) {
      if (!available(found.old)) replaceable.push(name);
      else if (surging < maxSurge) candidates.push(name);
    } else if (!available(found.updated)) {
      surging++;
    } else {
      podsToDelete.push(found.old);
    }
  }
  const room = Math.min(Math.max(0, maxSurge - surging), candidates.length);
  return { podsToDelete, createOn: [...replaceable, ...candidates.slice(0, room)] };
}
