/**
 * The mutable NodeInfo the scheduler cache keeps per node: the Node, its pods and the
 * sums derived from them, updated incrementally as pods come and go. Snapshots hold
 * clones, so a scheduling cycle never sees a change half made.
 */
import type { Node } from 'kubernetes-types/core/v1.js';
import { resourceAmount } from '../../api/podResources.js';
import type { HostPortUse, NodeInfo } from './interface.js';
import type { TrackedPodInfo } from './podInfo.js';

function allocatableOf(node: Node | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, raw] of Object.entries(node?.status?.allocatable ?? {})) out.set(name, resourceAmount(name, raw));
  return out;
}

function imageSizesOf(node: Node | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const image of node?.status?.images ?? []) {
    for (const name of image.names ?? []) out.set(name, image.sizeBytes ?? 0);
  }
  return out;
}

/** A node's scheduling view; see the module comment. `node` is an empty placeholder while pods arrive before their Node. */
export class NodeInfoImpl implements NodeInfo {
  node: Node;
  /** Whether a Node object backs this info (pods may be seen before their node). */
  hasNode: boolean;
  readonly name: string;
  pods: TrackedPodInfo[] = [];
  podsWithAffinity: TrackedPodInfo[] = [];
  podsWithRequiredAntiAffinity: TrackedPodInfo[] = [];
  requested = new Map<string, number>();
  nonZeroRequested = { cpu: 0, memory: 0 };
  allocatable: Map<string, number>;
  usedPorts: HostPortUse[] = [];
  imageSizes: Map<string, number>;
  /** Bumped on every change; the snapshot copies nodes whose generation moved. */
  generation = 0;

  constructor(name: string, node?: Node) {
    this.name = name;
    this.node = node ?? { metadata: { name } };
    this.hasNode = node !== undefined;
    this.allocatable = allocatableOf(node);
    this.imageSizes = imageSizesOf(node);
  }

  /** Replaces the Node object (allocatable and images are re-read). */
  setNode(node: Node): void {
    this.node = node;
    this.hasNode = true;
    this.allocatable = allocatableOf(node);
    this.imageSizes = imageSizesOf(node);
    this.generation += 1;
  }

  /** Forgets the Node object but keeps the pods (they may still be terminating on it). */
  clearNode(): void {
    this.node = { metadata: { name: this.name } };
    this.hasNode = false;
    this.allocatable = new Map();
    this.imageSizes = new Map();
    this.generation += 1;
  }

  /** Adds a pod and its requests and ports. */
  addPod(info: TrackedPodInfo): void {
    this.pods.push(info);
    if (info.hasAffinity) this.podsWithAffinity.push(info);
    if (info.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity.push(info);
    this.#account(info, 1);
  }

  /** Removes the pod with `uid`; false when it is not here. */
  removePod(uid: string): boolean {
    const index = this.pods.findIndex((p) => p.uid === uid);
    if (index < 0) return false;
    const [info] = this.pods.splice(index, 1) as [TrackedPodInfo];
    if (info.hasAffinity) this.podsWithAffinity = this.podsWithAffinity.filter((p) => p.uid !== uid);
    if (info.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.filter((p) => p.uid !== uid);
    this.#account(info, -1);
    if (info.ports.length > 0) {
      const remaining = [...info.ports];
      this.usedPorts = this.usedPorts.filter((used) => {
        const at = remaining.findIndex((p) => p.port === used.port && p.protocol === used.protocol && p.hostIP === used.hostIP);
        if (at < 0) return true;
        remaining.splice(at, 1);
        return false;
      });
    }
    return true;
  }

  #account(info: TrackedPodInfo, sign: 1 | -1): void {
    for (const [name, amount] of info.requests) this.requested.set(name, (this.requested.get(name) ?? 0) + sign * amount);
    this.nonZeroRequested = { cpu: this.nonZeroRequested.cpu + sign * info.nonZeroCpu, memory: this.nonZeroRequested.memory + sign * info.nonZeroMemory };
    if (sign > 0 && info.ports.length > 0) this.usedPorts = [...this.usedPorts, ...info.ports];
    this.generation += 1;
  }

  /** An independent copy (pod infos themselves are immutable and shared). */
  clone(): NodeInfoImpl {
    const copy = new NodeInfoImpl(this.name);
    copy.node = this.node;
    copy.hasNode = this.hasNode;
    copy.allocatable = this.allocatable;
    copy.imageSizes = this.imageSizes;
    copy.pods = [...this.pods];
    copy.podsWithAffinity = [...this.podsWithAffinity];
    copy.podsWithRequiredAntiAffinity = [...this.podsWithRequiredAntiAffinity];
    copy.requested = new Map(this.requested);
    copy.nonZeroRequested = { ...this.nonZeroRequested };
    copy.usedPorts = this.usedPorts;
    copy.generation = this.generation;
    return copy;
  }
}
