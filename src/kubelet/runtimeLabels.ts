/**
 * The labels and annotations the kubelet puts on CRI sandboxes and containers, with
 * upstream kuberuntime's keys, so that the runtime alone tells which pod and which
 * container an object belongs to (and how often it was restarted).
 */
import { createHash } from 'node:crypto';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { StringMap } from '../runtime/cri/types.js';

/** Upstream's label and annotation keys (pkg/kubelet/types and kuberuntime/labels.go). */
export const RuntimeKey = {
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  podUid: 'io.kubernetes.pod.uid',
  containerName: 'io.kubernetes.container.name',
  containerHash: 'io.kubernetes.container.hash',
  restartCount: 'io.kubernetes.container.restartCount',
  terminationMessagePath: 'io.kubernetes.container.terminationMessagePath',
  terminationMessagePolicy: 'io.kubernetes.container.terminationMessagePolicy',
  containerPorts: 'io.kubernetes.container.ports',
  deletionGracePeriod: 'io.kubernetes.pod.deletionGracePeriod',
  terminationGracePeriod: 'io.kubernetes.pod.terminationGracePeriod',
} as const;

function podIdentity(pod: Pod): StringMap {
  return {
    [RuntimeKey.podName]: pod.metadata?.name ?? '',
    [RuntimeKey.podNamespace]: pod.metadata?.namespace ?? '',
    [RuntimeKey.podUid]: pod.metadata?.uid ?? '',
  };
}

/** Sandbox labels: the pod's own labels plus its name, namespace and uid. */
export function sandboxLabels(pod: Pod): StringMap {
  return { ...(pod.metadata?.labels ?? {}), ...podIdentity(pod) };
}

/** Sandbox annotations: the pod's annotations. */
export function sandboxAnnotations(pod: Pod): StringMap {
  return { ...(pod.metadata?.annotations ?? {}) };
}

/** Container labels: pod identity and the container's name. */
export function containerLabels(pod: Pod, container: Container): StringMap {
  return { ...podIdentity(pod), [RuntimeKey.containerName]: container.name };
}

/** A short, stable hash of a container's spec (upstream hashes it to spot definition changes). */
export function containerSpecHash(container: Container): string {
  return createHash('sha256').update(JSON.stringify(container)).digest('hex').slice(0, 8);
}

/** Container annotations: spec hash, restart count, termination settings and ports, as upstream. */
export function containerAnnotations(pod: Pod, container: Container, restartCount: number): StringMap {
  const annotations: StringMap = {
    [RuntimeKey.containerHash]: containerSpecHash(container),
    [RuntimeKey.restartCount]: String(restartCount),
    [RuntimeKey.terminationMessagePath]: container.terminationMessagePath ?? '/dev/termination-log',
    [RuntimeKey.terminationMessagePolicy]: container.terminationMessagePolicy ?? 'File',
  };
  const deletionGrace = pod.metadata?.deletionGracePeriodSeconds;
  if (deletionGrace !== undefined) annotations[RuntimeKey.deletionGracePeriod] = String(deletionGrace);
  const terminationGrace = pod.spec?.terminationGracePeriodSeconds;
  if (terminationGrace !== undefined) annotations[RuntimeKey.terminationGracePeriod] = String(terminationGrace);
  if ((container.ports ?? []).length > 0) annotations[RuntimeKey.containerPorts] = JSON.stringify(container.ports);
  return annotations;
}
