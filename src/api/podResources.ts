/**
 * Pod-level resource sums as upstream's `PodRequests` / `PodLimits` compute them: the
 * regular containers and sidecars (restartable init containers) add up, an ordinary
 * init container runs alone beside the sidecars started before it, and the pod needs
 * the larger of the two. Pod overhead is added on top. Shared by the kubelet (cgroups),
 * the scheduler (fit) and quota (usage).
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { parseQuantity } from './quantity.js';

/** A resource in its counting unit: millicores for cpu, the plain value (bytes, counts) for everything else. */
export function resourceAmount(name: string, raw: string | number | undefined): number {
  if (raw === undefined) return 0;
  const quantity = parseQuantity(String(raw));
  return name === 'cpu' ? quantity.milliValue() : quantity.value();
}

/** A container's request of `name`; a limit without a request counts as the request (the API's defaulting). */
export function containerRequest(container: Container, name: string): number {
  return resourceAmount(name, container.resources?.requests?.[name] ?? container.resources?.limits?.[name]);
}

/** A container's limit of `name` (0: none). */
export function containerLimit(container: Container, name: string): number {
  return resourceAmount(name, container.resources?.limits?.[name]);
}

/**
 * The pod-level sum of a per-container `amount` by upstream's rule (regular containers
 * and sidecars add up; an ordinary init container runs beside the sidecars started
 * before it; the larger of the two), without pod overhead.
 */
export function podContainerTotal(pod: Pod, amount: (c: Container) => number): number {
  let total = (pod.spec?.containers ?? []).reduce((sum, c) => sum + amount(c), 0);
  let sidecars = 0;
  let initPeak = 0;
  for (const init of pod.spec?.initContainers ?? []) {
    if (init.restartPolicy === 'Always') {
      total += amount(init);
      sidecars += amount(init);
      initPeak = Math.max(initPeak, sidecars);
    } else {
      initPeak = Math.max(initPeak, amount(init) + sidecars);
    }
  }
  return Math.max(total, initPeak);
}

/** The pod's effective request of `name` (upstream `PodRequests`). */
export function podRequest(pod: Pod, name: string): number {
  return podContainerTotal(pod, (c) => containerRequest(c, name)) + resourceAmount(name, pod.spec?.overhead?.[name]);
}

/** The pod's effective limit of `name` (upstream `PodLimits`). */
export function podLimit(pod: Pod, name: string): number {
  return podContainerTotal(pod, (c) => containerLimit(c, name)) + resourceAmount(name, pod.spec?.overhead?.[name]);
}

/** Whether every container and init container limits `name` (else the pod cgroup leaves it unlimited). */
export function everyContainerLimits(pod: Pod, name: string): boolean {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].every((c) => containerLimit(c, name) > 0);
}
