/**
 * The states of a StatefulSet pod the controller's ordering rules turn on (upstream
 * `isRunningAndReady`, `isHealthy`, `isTerminating`, …).
 */
import type { PodObject } from '../replicaset/podState.js';
import { isPodAvailable, isPodReady } from '../replicaset/podState.js';

/** Being deleted. */
export const isTerminating = (pod: PodObject): boolean => pod.metadata.deletionTimestamp !== undefined;

/** Phase Failed or Succeeded: the pod must be replaced. */
export const hasFinished = (pod: PodObject): boolean => pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';

/** Phase Running and condition Ready. */
export const isRunningAndReady = (pod: PodObject): boolean => pod.status?.phase === 'Running' && isPodReady(pod);

/** Running and Ready for more than `minReadySeconds` at `now` (ms). */
export const isRunningAndAvailable = (pod: PodObject, minReadySeconds: number, now: number): boolean =>
  pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds, now);

/** Running, Ready and not being deleted. */
export const isHealthy = (pod: PodObject): boolean => isRunningAndReady(pod) && !isTerminating(pod);
