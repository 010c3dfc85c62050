/** A pod's phase from its container statuses, as upstream's kubelet `getPhase`. */
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import { hasAnyRegularContainerStarted, isRestartableInitContainer, isStaticPod, podRestartPolicy } from './podHelpers.js';

/** The five values of `status.phase`; the kubelet computes all but Unknown. */
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/**
 * The phase of `pod` given the API statuses of all its containers and init containers
 * (one list, matched by name). `podIsTerminal` says the kubelet has stopped the pod for
 * good, so its containers will not restart whatever the restart policy.
 *
 * - Regular init containers: running, waiting without a previous termination, or
 *   missing → initialization pending; terminated (now or last) non-zero → failed.
 * - Sidecar (restartable) init containers: running but not started, or waiting
 *   fresh, holds initialization; terminated ones do not count.
 * - A failed init container under restartPolicy Never → Failed.
 * - Pending while initialization is pending (unless a regular container already
 *   started) or any container waits for its first start.
 * - Running when some container runs and every one is known.
 * - When all have stopped: Succeeded/Failed by exit codes if terminal (not for static
 *   pods) or if restartPolicy is not Always; Always → Running; OnFailure with failures → Running.
 */
export function podPhase(pod: Pod, statuses: readonly ContainerStatus[], podIsTerminal: boolean): PodPhase {
  const byName = new Map(statuses.map((s) => [s.name, s]));
  const restartPolicy = podRestartPolicy(pod);
  let pendingInitialization = 0;
  let failedInitialization = 0;
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;

  const initContainers = pod.spec?.initContainers ?? [];
  for (const container of initContainers) {
    if (isRestartableInitContainer(container)) continue;
    const status = byName.get(container.name);
    const state = status?.state;
    if (state?.terminated !== undefined) {
      if (state.terminated.exitCode !== 0) failedInitialization++;
    } else if (state?.waiting !== undefined && status?.lastState?.terminated !== undefined) {
      if (status.lastState.terminated.exitCode !== 0) failedInitialization++;
    } else {
      pendingInitialization++;
    }
  }

  for (const container of initContainers) {
    if (!isRestartableInitContainer(container)) continue;
    const status = byName.get(container.name);
    const state = status?.state;
    if (status === undefined) {
      unknown++;
    } else if (state?.running !== undefined) {
      if (status.started !== true) pendingInitialization++;
      running++;
    } else if (state?.terminated !== undefined) {
      // A stopped sidecar does not affect the phase.
    } else if (state?.waiting !== undefined) {
      if (status.lastState?.terminated === undefined) {
        pendingInitialization++;
        waiting++;
      }
    } else {
      pendingInitialization++;
      unknown++;
    }
  }

  for (const container of pod.spec?.containers ?? []) {
    const status = byName.get(container.name);
    const state = status?.state;
    if (status === undefined) {
      unknown++;
    } else if (state?.running !== undefined) {
      running++;
    } else if (state?.terminated !== undefined) {
      stopped++;
      if (state.terminated.exitCode === 0) succeeded++;
    } else if (state?.waiting !== undefined) {
      if (status.lastState?.terminated !== undefined) stopped++;
      else waiting++;
    } else {
      unknown++;
    }
  }

  if (failedInitialization > 0 && restartPolicy === 'Never') return 'Failed';
  if (pendingInitialization > 0 && !hasAnyRegularContainerStarted(pod, statuses)) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal && !isStaticPod(pod)) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
