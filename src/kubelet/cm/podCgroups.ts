/**
 * The kubelet's pod cgroups (upstream's QoS and pod container managers, cgroupfs
 * driver): `<root>/kubepods` limited to the node's capacity, its burstable and
 * besteffort children with their cpu shares, and one `pod<uid>` cgroup per pod that
 * becomes the sandbox's cgroup parent. Pods' cgroups are removed when they are gone.
 *
 *   const cgroups = new PodCgroups(defaultCgroupRoot(dataDir), nodeCapacity());
 *   const parent = await cgroups.ensurePod(pod);   // before RunPodSandbox
 *   await cgroups.removePod(uid);                  // after the sandboxes are removed
 */
import { createHash } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { podQOSClass } from '../pod/qos.js';
import type { QOSClass } from '../pod/qos.js';
import { CGROUP_FS_ROOT, applyCgroup, hasCgroupV1, removeCgroup } from './cgroupfs.js';
import { MIN_CPU_SHARES, milliCpuToShares } from './cpu.js';
import { burstableShares, podCgroupPath, podCgroupValues, qosCgroupPath } from './podCgroupConfig.js';

/** What the node has to give to pods. */
export interface NodeCapacity {
  milliCpu: number;
  memoryBytes: number;
}

/** This machine's capacity: all its cores and all its memory. */
export function nodeCapacity(): NodeCapacity {
  return { milliCpu: cpus().length * 1000, memoryBytes: totalmem() };
}

/**
 * The cgroup root of the kubelet with data dir `dataDir` (upstream's --cgroup-root):
 * `/k8ts-<hash>`, so that several k8ts nodes on one host keep apart and killall of a
 * data dir finds its cgroups.
 */
export function defaultCgroupRoot(dataDir: string): string {
  return `/k8ts-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`;
}

const QOS_CLASSES: readonly QOSClass[] = ['Guaranteed', 'Burstable', 'BestEffort'];

/** Pod cgroups under one cgroup root. */
export class PodCgroups {
  readonly #root: string;
  readonly #capacity: NodeCapacity;
  readonly #fsRoot: string;
  /** Pods with a cgroup, for the burstable cgroup's shares. */
  readonly #pods = new Map<string, Pod>();
  #v1: Promise<boolean> | undefined;

  constructor(root: string, capacity: NodeCapacity, fsRoot: string = CGROUP_FS_ROOT) {
    this.#root = root;
    this.#capacity = capacity;
    this.#fsRoot = fsRoot;
  }

  /** The cgroup path of `pod`, or undefined when this host has no cgroup v1 cpu and memory hierarchies. */
  async podCgroup(pod: Pod): Promise<string | undefined> {
    if (!(await this.#available())) return undefined;
    return podCgroupPath(this.#root, podQOSClass(pod), pod.metadata?.uid ?? '');
  }

  /**
   * Creates (or updates) the QoS cgroups and `pod`'s cgroup with its limits; resolves
   * to the pod cgroup's path, or undefined when this host has no cgroup v1 hierarchies.
   */
  async ensurePod(pod: Pod): Promise<string | undefined> {
    if (!(await this.#available())) return undefined;
    const uid = pod.metadata?.uid ?? '';
    this.#pods.set(uid, pod);
    await this.#updateQosCgroups();
    const path = podCgroupPath(this.#root, podQOSClass(pod), uid);
    await applyCgroup(path, podCgroupValues(pod), this.#fsRoot);
    return path;
  }

  /** Removes the cgroup of pod `uid` (whatever its class was); resolves to whether it is gone. */
  async removePod(uid: string): Promise<boolean> {
    this.#pods.delete(uid);
    if (!(await this.#available())) return true;
    let gone = true;
    for (const qos of QOS_CLASSES) {
      if (!(await removeCgroup(podCgroupPath(this.#root, qos, uid), this.#fsRoot))) gone = false;
    }
    await this.#updateQosCgroups();
    return gone;
  }

  #available(): Promise<boolean> {
    this.#v1 ??= hasCgroupV1(this.#fsRoot);
    return this.#v1;
  }

  async #updateQosCgroups(): Promise<void> {
    await applyCgroup(qosCgroupPath(this.#root, 'Guaranteed'), {
      cpuShares: milliCpuToShares(this.#capacity.milliCpu),
      memoryLimitBytes: this.#capacity.memoryBytes,
    }, this.#fsRoot);
    await applyCgroup(qosCgroupPath(this.#root, 'Burstable'), { cpuShares: burstableShares(this.#pods.values()) }, this.#fsRoot);
    await applyCgroup(qosCgroupPath(this.#root, 'BestEffort'), { cpuShares: MIN_CPU_SHARES }, this.#fsRoot);
  }
}

/** Removes everything under cgroup root `root` (killall: every pod of the node is gone). */
export function removeCgroupRoot(root: string, fsRoot: string = CGROUP_FS_ROOT): Promise<boolean> {
  return removeCgroup(root, fsRoot);
}
