/**
 * What an evicted pod is told, in upstream's words: the status message ("The node was
 * low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. Container app
 * was using 20Mi, request is 0, has larger consumption of memory. "), and the status
 * the kubelet writes — phase Failed, reason Evicted and a DisruptionTarget condition.
 */
import type { PodStatus, Pod } from 'kubernetes-types/core/v1.js';
import { Quantity, parseQuantity } from '../../api/quantity.js';
import { apiTime } from '../pod/podHelpers.js';
import type { PodUsage } from './ranking.js';
import type { ReclaimedResource } from './thresholds.js';

/** The status reason of an evicted pod, and the reason of its event. */
export const EVICTED_REASON = 'Evicted';

/** What the node was short of when the pod was picked. */
export interface EvictionCause {
  resource: ReclaimedResource;
  threshold: Quantity;
  available: Quantity;
}

function containerUsage(usage: PodUsage | undefined, name: string, resource: 'memory' | 'ephemeral-storage'): number | undefined {
  const container = usage?.containers.find((c) => c.name === name);
  if (container === undefined) return undefined;
  return resource === 'memory' ? container.memoryWorkingSetBytes : container.diskBytes;
}

/**
 * The eviction message. For memory and ephemeral storage it names each container
 * using more than it requests.
 */
export function evictionMessage(pod: Pod, cause: EvictionCause, usage: PodUsage | undefined): string {
  let message = `The node was low on resource: ${cause.resource}. Threshold quantity: ${cause.threshold.toString()}, available: ${cause.available.toString()}. `;
  const resource = cause.resource;
  if (resource !== 'memory' && resource !== 'ephemeral-storage') return message;
  for (const container of pod.spec?.containers ?? []) {
    const used = containerUsage(usage, container.name, resource);
    if (used === undefined) continue;
    const raw = container.resources?.requests?.[resource];
    const request = raw === undefined ? Quantity.fromInteger(0) : parseQuantity(String(raw));
    const usedQuantity = Quantity.fromInteger(used, 'BinarySI');
    if (usedQuantity.cmp(request) <= 0) continue;
    message += `Container ${container.name} was using ${usedQuantity.toString()}, request is ${request.toString()}, has larger consumption of ${resource}. `;
  }
  return message;
}

/**
 * The status the kubelet writes for a pod it evicts (upstream 1.32 with
 * PodDisruptionConditions): phase Failed, reason Evicted, the message, and a
 * DisruptionTarget condition with reason TerminationByKubelet.
 */
export function evictedStatus(message: string, nowMs: number): PodStatus {
  return {
    phase: 'Failed',
    reason: EVICTED_REASON,
    message,
    conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message, lastTransitionTime: apiTime(nowMs) }],
  };
}
