/**
 * The status a simulated node reports for a pod it "runs": phase Running, every
 * kubelet condition True, init containers completed, every container running and
 * ready since `startedAt`. Conditions others own (PodScheduled, DisruptionTarget, …)
 * are kept.
 */
import type { ContainerStatus, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import type { PodObject } from '../apiObjects.js';
import { KUBELET_CONDITION_TYPES } from '../pod/conditions.js';
import { podQOSClass } from '../pod/qos.js';

/** Where the pod runs. */
export interface RunningPlacement {
  podIP: string;
  hostIP: string;
  /** RFC 3339 time the pod started (kept from an earlier report when there is one). */
  startedAt: string;
}

function containerID(pod: PodObject, name: string): string {
  return `simulated://${pod.metadata.uid ?? ''}/${name}`;
}

/** True when `pod` already shows what a simulated node reports (Running and Ready). */
export function reportsRunning(pod: PodObject): boolean {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  return pod.status?.phase === 'Running' && ready?.status === 'True';
}

/** The status that shows `pod` Running and Ready at `placement`. */
export function runningPodStatus(pod: PodObject, placement: RunningPlacement): PodStatus {
  const { startedAt } = placement;
  const kubeletConditions: PodCondition[] = KUBELET_CONDITION_TYPES.map((type) => ({ type, status: 'True', lastTransitionTime: startedAt }));
  const others = (pod.status?.conditions ?? []).filter((c) => !KUBELET_CONDITION_TYPES.includes(c.type));
  const initContainerStatuses: ContainerStatus[] = (pod.spec?.initContainers ?? []).map((c) => ({
    name: c.name,
    image: c.image ?? '',
    imageID: '',
    containerID: containerID(pod, c.name),
    ready: true,
    started: false,
    restartCount: 0,
    state: { terminated: { exitCode: 0, reason: 'Completed', startedAt, finishedAt: startedAt, containerID: containerID(pod, c.name) } },
  }));
  const containerStatuses: ContainerStatus[] = (pod.spec?.containers ?? []).map((c) => ({
    name: c.name,
    image: c.image ?? '',
    imageID: '',
    containerID: containerID(pod, c.name),
    ready: true,
    started: true,
    restartCount: 0,
    state: { running: { startedAt } },
  }));
  return {
    phase: 'Running',
    conditions: [...others, ...kubeletConditions],
    hostIP: placement.hostIP,
    hostIPs: [{ ip: placement.hostIP }],
    podIP: placement.podIP,
    podIPs: [{ ip: placement.podIP }],
    startTime: pod.status?.startTime ?? startedAt,
    ...(initContainerStatuses.length > 0 ? { initContainerStatuses } : {}),
    containerStatuses,
    qosClass: podQOSClass(pod),
  };
}
