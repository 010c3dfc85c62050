/** Small facts about pod specs and runtime statuses shared by the pod logic. */
import type { Container, ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import type { RuntimeContainer, RuntimePodStatus } from './runtimeTypes.js';

/** True for an init container with `restartPolicy: Always` (a sidecar). */
export function isRestartableInitContainer(container: Container): boolean {
  return container.restartPolicy === 'Always';
}

/** The pod's restart policy; the API default `Always` when unset. */
export function podRestartPolicy(pod: Pod): 'Always' | 'OnFailure' | 'Never' {
  const policy = pod.spec?.restartPolicy;
  return policy === 'OnFailure' || policy === 'Never' ? policy : 'Always';
}

/** The pod as upstream names it in messages: `name_namespace(uid)`. */
export function formatPod(pod: Pod): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;
}

/** The newest instance of the named container, or undefined when the runtime has none. */
export function latestContainer(status: RuntimePodStatus, name: string): RuntimeContainer | undefined {
  let latest: RuntimeContainer | undefined;
  for (const c of status.containers) {
    if (c.name === name && (latest === undefined || c.createdAt > latest.createdAt)) latest = c;
  }
  return latest;
}

/** The instances of the named container, newest first. */
export function containerInstances(status: RuntimePodStatus, name: string): RuntimeContainer[] {
  return status.containers.filter((c) => c.name === name).sort((a, b) => b.createdAt - a.createdAt);
}

/** True when any regular (non-init) container's status shows it running or terminated. */
export function hasAnyRegularContainerStarted(pod: Pod, statuses: readonly ContainerStatus[]): boolean {
  const names = new Set((pod.spec?.containers ?? []).map((c) => c.name));
  return statuses.some((s) => names.has(s.name) && (s.state?.running !== undefined || s.state?.terminated !== undefined));
}

/** True for a static pod: one whose config source annotation names anything but the API server. */
export function isStaticPod(pod: Pod): boolean {
  const source = pod.metadata?.annotations?.['kubernetes.io/config.source'];
  return source !== undefined && source !== 'api';
}

export { apiTime } from '../../api/time.js';

/**
 * Whether the kubelet would (re)start this container on its next sync (upstream
 * `ShouldContainerBeRestarted`): never for a deleted pod or a running container; always
 * when it has no instance or its latest is created/unknown; for an exited one, per the
 * restart policy (Never: no; OnFailure: only after a non-zero exit; Always: yes).
 */
export function shouldContainerBeRestarted(container: Container, pod: Pod, runtime: RuntimePodStatus): boolean {
  if (pod.metadata?.deletionTimestamp !== undefined) return false;
  const latest = latestContainer(runtime, container.name);
  if (latest === undefined) return true;
  if (latest.state === 'running') return false;
  if (latest.state === 'unknown' || latest.state === 'created') return true;
  const policy = podRestartPolicy(pod);
  if (policy === 'Never') return false;
  if (policy === 'OnFailure') return (latest.exitCode ?? 0) !== 0;
  return true;
}
