/**
 * What a DaemonSet sync changes so that each node has the pods it should (upstream
 * `manage` / `podsShouldBeOnNode`): a pod for every eligible node that has none; on a
 * node where pods may stay, failed or finished pods go and only the oldest pod stays
 * (with maxSurge, the oldest updated pod and the oldest old pod while the old one is
 * Ready and the new one not yet available; failed pods at most as often as the node's
 * backoff allows); every pod goes from a node where none may
 * stay; unscheduled pods for nodes that no longer exist go.
 */
import type { PodObject } from '../replicaset/podState.js';
import { isPodAvailable, isPodReady } from '../replicaset/podState.js';
import { isPodUpdated } from './daemonPodTemplate.js';
import type { DaemonSetObject } from './daemonSetKind.js';
import type { NodePods } from './nodePods.js';

/** The changes a sync makes. */
export interface ManagePlan {
  /** Nodes to create a pod on. */
  createOn: string[];
  podsToDelete: PodObject[];
  /** The failed pods among `podsToDelete` (each reported with a FailedDaemonPod event, by node). */
  failed: { pod: PodObject; node: string }[];
  /** Set when failed pods were left for their node's backoff: sync again after this long. */
  retryAfterMs?: number;
}

/** True when the set's rolling update may surge (maxSurge above zero). */
export function allowsSurge(ds: DaemonSetObject): boolean {
  const strategy = ds.spec?.updateStrategy;
  if (strategy?.type === 'OnDelete') return false;
  const surge = strategy?.rollingUpdate?.maxSurge;
  return surge !== undefined && surge !== 0 && surge !== '0' && surge !== '0%';
}

/**
 * The plan for `ds` over its `grouped` pods at revision hash `hash`, at `now` (ms);
 * `backoffMs(node)` is how long failed pods on `node` must still be left alone.
 */
export function planManage(ds: DaemonSetObject, grouped: NodePods, hash: string, now: number, backoffMs: (node: string) => number): ManagePlan {
  const plan: ManagePlan = { createOn: [], podsToDelete: [], failed: [] };
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  for (const { name, verdict, pods } of grouped.nodes) {
    if (verdict.shouldRun && pods.length === 0) {
      plan.createOn.push(name);
      continue;
    }
    if (!verdict.shouldContinueRunning) {
      plan.podsToDelete.push(...pods.filter((pod) => pod.metadata.deletionTimestamp === undefined));
      continue;
    }
    const running: PodObject[] = [];
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp !== undefined) continue;
      if (pod.status?.phase === 'Failed') {
        const wait = backoffMs(name);
        if (wait > 0) {
          plan.retryAfterMs = Math.min(plan.retryAfterMs ?? wait, wait);
          continue;
        }
        plan.podsToDelete.push(pod);
        plan.failed.push({ pod, node: name });
      } else if (pod.status?.phase === 'Succeeded') {
        plan.podsToDelete.push(pod);
      } else {
        running.push(pod);
      }
    }
    if (running.length <= 1) continue;
    if (!allowsSurge(ds)) {
      plan.podsToDelete.push(...running.slice(1));
      continue;
    }
    let oldestNew: PodObject | undefined;
    let oldestOld: PodObject | undefined;
    for (const pod of running) {
      if (isPodUpdated(ds, pod, hash)) {
        if (oldestNew === undefined) oldestNew = pod;
        else plan.podsToDelete.push(pod);
      } else if (oldestOld === undefined) oldestOld = pod;
      else plan.podsToDelete.push(pod);
    }
    if (oldestNew !== undefined && oldestOld !== undefined && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, minReadySeconds, now))) {
      plan.podsToDelete.push(oldestOld);
    }
  }
  plan.podsToDelete.push(...grouped.podsWithoutNode.filter((pod) => !pod.spec?.nodeName && pod.metadata.deletionTimestamp === undefined));
  return plan;
}
