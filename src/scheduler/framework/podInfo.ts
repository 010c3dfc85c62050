/**
 * What the scheduler computes once per pod and keeps beside it: effective requests
 * (src/api/podResources.ts rules), the non-zero cpu/memory requests scoring uses, the
 * host ports it claims and whether it carries pod (anti-)affinity.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { containerRequest, podContainerTotal, podRequest, resourceAmount } from '../../api/podResources.js';
import type { HostPortUse, PodInfo } from './interface.js';

/** Upstream's cpu request (millicores) for a container that requests none, used by scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** Upstream's memory request (bytes) for a container that requests none, used by scoring. */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** A PodInfo with the derived facts the node bookkeeping needs. */
export interface TrackedPodInfo extends PodInfo {
  readonly uid: string;
  readonly nonZeroCpu: number;
  readonly nonZeroMemory: number;
  readonly ports: readonly HostPortUse[];
  readonly hasAffinity: boolean;
  readonly hasRequiredAntiAffinity: boolean;
}

function resourceNames(pod: Pod): Set<string> {
  const names = new Set<string>();
  const spec = pod.spec;
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    for (const name of Object.keys(c.resources?.requests ?? {})) names.add(name);
    for (const name of Object.keys(c.resources?.limits ?? {})) names.add(name);
  }
  for (const name of Object.keys(spec?.overhead ?? {})) names.add(name);
  return names;
}

/** The pod's effective requests by resource name (only resources it names; zero amounts left out). */
export function podRequests(pod: Pod): Map<string, number> {
  const requests = new Map<string, number>();
  for (const name of resourceNames(pod)) {
    const amount = podRequest(pod, name);
    if (amount > 0) requests.set(name, amount);
  }
  return requests;
}

/** The pod's request of `name` counting `fallback` for every container that requests none (upstream's non-zero rule; an explicit 0 stays 0). */
function nonZeroRequest(pod: Pod, name: string, fallback: number): number {
  const amount = (c: Container): number => (c.resources?.requests?.[name] === undefined && c.resources?.limits?.[name] === undefined ? fallback : containerRequest(c, name));
  return podContainerTotal(pod, amount) + resourceAmount(name, pod.spec?.overhead?.[name]);
}

/** The host ports the pod's containers claim (hostIP defaults to 0.0.0.0, protocol to TCP). */
export function podHostPorts(pod: Pod): HostPortUse[] {
  const ports: HostPortUse[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if ((p.hostPort ?? 0) > 0) ports.push({ hostIP: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort ?? 0 });
    }
  }
  return ports;
}

/** Everything the scheduler derives from `pod`. */
export function trackedPodInfo(pod: Pod): TrackedPodInfo {
  const affinity = pod.spec?.affinity;
  const hasAffinity = affinity?.podAffinity !== undefined || affinity?.podAntiAffinity !== undefined;
  return {
    pod,
    uid: pod.metadata?.uid ?? '',
    requests: podRequests(pod),
    nonZeroCpu: nonZeroRequest(pod, 'cpu', DEFAULT_MILLI_CPU_REQUEST),
    nonZeroMemory: nonZeroRequest(pod, 'memory', DEFAULT_MEMORY_REQUEST),
    ports: podHostPorts(pod),
    hasAffinity,
    hasRequiredAntiAffinity: (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0,
  };
}

/** Whether two host-port claims collide: same protocol and port, and the same IP or either on every IP. */
export function portsConflict(a: HostPortUse, b: HostPortUse): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false;
  return a.hostIP === b.hostIP || a.hostIP === '0.0.0.0' || b.hostIP === '0.0.0.0';
}
