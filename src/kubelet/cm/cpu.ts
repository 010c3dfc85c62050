/** Conversions of millicores into cgroup v1 cpu settings, with upstream's bounds. */

/** The CFS period the kubelet uses (100 ms). */
export const CPU_PERIOD_US = 100_000;
/** cpu.shares bounds of the kernel. */
export const MIN_CPU_SHARES = 2;
const MAX_CPU_SHARES = 262_144;
/** The smallest CFS quota the kubelet sets (1 ms). */
const MIN_CPU_QUOTA_US = 1_000;

/** cpu.shares for a request of `milliCpu` (upstream `MilliCPUToShares`): 1024 per core, within [2, 262144]. */
export function milliCpuToShares(milliCpu: number): number {
  if (milliCpu <= 0) return MIN_CPU_SHARES;
  return Math.min(MAX_CPU_SHARES, Math.max(MIN_CPU_SHARES, Math.floor((milliCpu * 1024) / 1000)));
}

/** The CFS quota for a limit of `milliCpu` over `periodUs` (upstream `MilliCPUToQuota`); 0 when there is no limit. */
export function milliCpuToQuota(milliCpu: number, periodUs: number = CPU_PERIOD_US): number {
  if (milliCpu <= 0) return 0;
  return Math.max(MIN_CPU_QUOTA_US, Math.floor((milliCpu * periodUs) / 1000));
}
