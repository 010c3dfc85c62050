/**
 * A container's oom_score_adj as upstream's `GetContainerOOMScoreAdjust`: Guaranteed
 * and node-critical pods -997, BestEffort 1000, Burstable scaled by the container's
 * memory request against the node's memory (between 3 and 999); a sidecar scores no
 * higher than the regular container with the smallest memory request.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { isRestartableInitContainer } from '../pod/podHelpers.js';
import { podQOSClass } from '../pod/qos.js';
import { containerRequest } from '../../api/podResources.js';

const GUARANTEED_OOM_SCORE_ADJ = -997;
const BESTEFFORT_OOM_SCORE_ADJ = 1000;
/** Upstream's SystemCriticalPriority. */
const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

function isNodeCritical(pod: Pod): boolean {
  return pod.spec?.priorityClassName === 'system-node-critical' && (pod.spec.priority ?? 0) >= SYSTEM_CRITICAL_PRIORITY;
}

function scaled(memoryRequest: number, memoryCapacity: number): number {
  return 1000 - Math.floor((1000 * memoryRequest) / memoryCapacity);
}

/** The oom_score_adj of `container` in `pod` on a node with `memoryCapacity` bytes. */
export function containerOomScoreAdjust(pod: Pod, container: Container, memoryCapacity: number): number {
  if (isNodeCritical(pod)) return GUARANTEED_OOM_SCORE_ADJ;
  const qos = podQOSClass(pod);
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BESTEFFORT_OOM_SCORE_ADJ;
  let adjust = scaled(containerRequest(container, 'memory'), memoryCapacity);
  const isSidecar = isRestartableInitContainer(container) && (pod.spec?.initContainers ?? []).some((c) => c.name === container.name);
  if (isSidecar) {
    const regular = (pod.spec?.containers ?? []).map((c) => containerRequest(c, 'memory'));
    if (regular.length > 0) adjust = Math.min(adjust, scaled(Math.min(...regular), memoryCapacity));
  }
  if (adjust < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adjust === BESTEFFORT_OOM_SCORE_ADJ) return adjust - 1;
  return adjust;
}
