/**
 * Pods' resource usage from the runtime's CRI stats (what upstream's CRI stats
 * provider gives the eviction manager): per container the memory working set and the
 * writable layer's bytes and inodes (ListContainerStats), per pod the process count
 * where the runtime reports it (ListPodSandboxStats; containerd 1.6 may leave it unset
 * or not implement the call, which then counts as no processes).
 */
import type { ContainerStats, PodSandboxStats, UInt64Value } from '../../runtime/cri/types.js';
import { RuntimeKey } from '../runtimeLabels.js';
import type { ContainerUsage, PodUsage } from './ranking.js';

/** The runtime calls the usage is read with. */
export interface StatsSource {
  listContainerStats(): Promise<ContainerStats[]>;
  listPodSandboxStats(): Promise<PodSandboxStats[]>;
}

function count(value: UInt64Value | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value.value);
}

/** Pods' usage keyed by pod uid from the two stats lists; of a container's attempts the largest usage counts. */
export function podUsageFromStats(containers: readonly ContainerStats[], sandboxes: readonly PodSandboxStats[]): Map<string, PodUsage> {
  const perPod = new Map<string, Map<string, ContainerUsage>>();
  for (const stats of containers) {
    const uid = stats.attributes?.labels[RuntimeKey.podUid];
    const name = stats.attributes?.labels[RuntimeKey.containerName] ?? stats.attributes?.metadata?.name;
    if (uid === undefined || name === undefined) continue;
    const usage: ContainerUsage = {
      name,
      memoryWorkingSetBytes: count(stats.memory?.workingSetBytes),
      diskBytes: count(stats.writableLayer?.usedBytes),
      inodes: count(stats.writableLayer?.inodesUsed),
    };
    const byName = perPod.get(uid) ?? new Map<string, ContainerUsage>();
    const known = byName.get(name);
    byName.set(name, known === undefined ? usage : {
      name,
      memoryWorkingSetBytes: Math.max(known.memoryWorkingSetBytes, usage.memoryWorkingSetBytes),
      diskBytes: Math.max(known.diskBytes, usage.diskBytes),
      inodes: Math.max(known.inodes, usage.inodes),
    });
    perPod.set(uid, byName);
  }
  const processes = new Map<string, number>();
  for (const stats of sandboxes) {
    const uid = stats.attributes?.labels[RuntimeKey.podUid];
    if (uid !== undefined) processes.set(uid, (processes.get(uid) ?? 0) + count(stats.linux?.process?.processCount));
  }
  const result = new Map<string, PodUsage>();
  for (const uid of new Set([...perPod.keys(), ...processes.keys()])) {
    result.set(uid, { containers: [...(perPod.get(uid)?.values() ?? [])], processes: processes.get(uid) ?? 0 });
  }
  return result;
}

/** Reads the pods' usage from the runtime; sandbox stats are optional (their failure is ignored). */
export async function readPodUsage(source: StatsSource): Promise<Map<string, PodUsage>> {
  const [containers, sandboxes] = await Promise.all([source.listContainerStats(), source.listPodSandboxStats().catch(() => [])]);
  return podUsageFromStats(containers, sandboxes);
}
