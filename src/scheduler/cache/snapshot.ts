/**
 * The nodes as one scheduling cycle sees them (upstream Snapshot): clones of the
 * cache's NodeInfos, refreshed incrementally by the cache (only nodes that changed
 * since the last cycle are copied again).
 */
import type { NodeInfo, NodeSnapshot } from '../framework/interface.js';
import type { NodeInfoImpl } from '../framework/nodeInfo.js';

/** A NodeSnapshot the cache keeps up to date; see the module comment. */
export class Snapshot implements NodeSnapshot {
  /** Clones by node name. */
  readonly infos = new Map<string, NodeInfoImpl>();
  /** The nodes in list order. */
  nodes: NodeInfoImpl[] = [];
  /** Position of each node in `nodes`. */
  readonly positions = new Map<string, number>();
  withAffinity: NodeInfoImpl[] = [];
  withRequiredAntiAffinity: NodeInfoImpl[] = [];
  imageCounts = new Map<string, number>();

  list(): readonly NodeInfo[] {
    return this.nodes;
  }

  get(nodeName: string): NodeInfoImpl | undefined {
    return this.infos.get(nodeName);
  }

  havePodsWithAffinity(): readonly NodeInfo[] {
    return this.withAffinity;
  }

  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[] {
    return this.withRequiredAntiAffinity;
  }

  nodesWithImage(name: string): number {
    return this.imageCounts.get(name) ?? 0;
  }

  /** Rebuilds the list order from `order` (names of nodes present in `infos`). */
  relist(order: Iterable<string>): void {
    this.nodes = [];
    this.positions.clear();
    for (const name of order) {
      const info = this.infos.get(name);
      if (info === undefined) continue;
      this.positions.set(name, this.nodes.length);
      this.nodes.push(info);
    }
  }

  /** Replaces one node's clone in place (the node set is unchanged). */
  replace(info: NodeInfoImpl): void {
    this.infos.set(info.name, info);
    const at = this.positions.get(info.name);
    if (at !== undefined) this.nodes[at] = info;
  }

  /** Recomputes the lists of nodes with affinity pods. */
  recountAffinity(): void {
    this.withAffinity = this.nodes.filter((n) => n.podsWithAffinity.length > 0);
    this.withRequiredAntiAffinity = this.nodes.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
  }

  /** Recomputes how many nodes report each image. */
  recountImages(): void {
    this.imageCounts = new Map();
    for (const node of this.nodes) {
      for (const name of node.imageSizes.keys()) this.imageCounts.set(name, (this.imageCounts.get(name) ?? 0) + 1);
    }
  }
}
