/**
 * Marking the pods of a node that is not ready as not Ready themselves (upstream's
 * MarkPodsNotReady): each pod's Ready condition becomes False with a new transition
 * time, and the pod gets a Warning NodeNotReady event.
 */
import type { PodCondition } from 'kubernetes-types/core/v1.js';
import { isStatusReason } from '../../api/status.js';
import type { EventRecorder, RestClient } from '../../client/index.js';
import { PODS, type PodObject } from './podsByNode.js';

/**
 * Sets Ready=False on every pod of `pods` bound to `nodeName` that has a Ready
 * condition not already False. Throws the first API error (pods already gone are skipped).
 */
export async function markPodsNotReady(client: RestClient, events: EventRecorder, pods: readonly PodObject[], nodeName: string, nowTime: string, signal?: AbortSignal): Promise<void> {
  let failure: unknown;
  for (const pod of pods) {
    if (pod.spec?.nodeName !== nodeName) continue;
    const conditions = pod.status?.conditions ?? [];
    const ready = conditions.find((c) => c.type === 'Ready');
    if (ready === undefined || ready.status === 'False') continue;
    const updated: PodCondition[] = conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: nowTime } : c));
    try {
      await client.update<PodObject>({ ...PODS, namespace: pod.metadata.namespace ?? '' }, { ...pod, status: { ...pod.status, conditions: updated } }, { subresource: 'status', signal });
      events.record(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    } catch (err) {
      if (!isStatusReason(err, 'NotFound')) failure ??= err;
    }
  }
  if (failure !== undefined) throw failure;
}
