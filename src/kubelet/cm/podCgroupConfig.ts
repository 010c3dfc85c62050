/**
 * Where a pod's cgroup goes and what it is limited to, as upstream's QoS container
 * manager and `ResourceConfigForPod` decide (cgroupfs driver, cgroup v1):
 * `<root>/kubepods/pod<uid>` for Guaranteed pods, `<root>/kubepods/burstable/pod<uid>`
 * and `<root>/kubepods/besteffort/pod<uid>` for the others.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { podQOSClass } from '../pod/qos.js';
import type { QOSClass } from '../pod/qos.js';
import { CPU_PERIOD_US, MIN_CPU_SHARES, milliCpuToQuota, milliCpuToShares } from './cpu.js';
import { everyContainerLimits, podLimit, podRequest } from '../../api/podResources.js';

/** The node-wide cgroup all pods live under. */
export const KUBEPODS = 'kubepods';

/** Values written into a cgroup; absent ones are left as the kernel has them. */
export interface CgroupValues {
  cpuShares?: number;
  cpuPeriodUs?: number;
  cpuQuotaUs?: number;
  memoryLimitBytes?: number;
}

/** The QoS cgroup of `qos` under `root` (Guaranteed pods sit directly in kubepods). */
export function qosCgroupPath(root: string, qos: QOSClass): string {
  const kubepods = `${root.replace(/\/+$/, '')}/${KUBEPODS}`;
  return qos === 'Guaranteed' ? kubepods : `${kubepods}/${qos.toLowerCase()}`;
}

/** The cgroup of pod `uid` of class `qos` under `root`: `…/pod<uid>`. */
export function podCgroupPath(root: string, qos: QOSClass, uid: string): string {
  return `${qosCgroupPath(root, qos)}/pod${uid}`;
}

/**
 * The pod cgroup's limits: Guaranteed pods get shares, CFS quota and memory limit;
 * Burstable pods get shares from their requests, and quota or memory limit only when
 * every container limits cpu or memory; BestEffort pods get the minimum shares.
 */
export function podCgroupValues(pod: Pod): CgroupValues {
  const qos = podQOSClass(pod);
  if (qos === 'BestEffort') return { cpuShares: MIN_CPU_SHARES };
  const values: CgroupValues = { cpuShares: milliCpuToShares(podRequest(pod, 'cpu')) };
  if (qos === 'Guaranteed' || everyContainerLimits(pod, 'cpu')) {
    values.cpuPeriodUs = CPU_PERIOD_US;
    values.cpuQuotaUs = milliCpuToQuota(podLimit(pod, 'cpu'));
  }
  if (qos === 'Guaranteed' || everyContainerLimits(pod, 'memory')) values.memoryLimitBytes = podLimit(pod, 'memory');
  return values;
}

/** cpu.shares of the burstable QoS cgroup: the summed cpu requests of its pods (besteffort always has the minimum). */
export function burstableShares(pods: Iterable<Pod>): number {
  let milliCpu = 0;
  for (const pod of pods) if (podQOSClass(pod) === 'Burstable') milliCpu += podRequest(pod, 'cpu');
  return milliCpuToShares(milliCpu);
}
