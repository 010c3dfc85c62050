/**
 * Test fixture for the scheduler plugins: hand-built Nodes and Pods, the scheduler's
 * own NodeInfos over them, and a NodeSnapshot of those NodeInfos.
 */
import type { Affinity, Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { FrameworkHandle, NodeInfo, NodeSnapshot } from '../../framework/interface.js';
import { NodeInfoImpl } from '../../framework/nodeInfo.js';
import { trackedPodInfo } from '../../framework/podInfo.js';

/** Options of `makeNode`. */
export interface NodeOptions {
  readonly labels?: Record<string, string>;
  readonly taints?: Taint[];
  readonly images?: { names: string[]; sizeBytes: number }[];
}

/** A Node named `name`; `kubernetes.io/hostname` is set to the name unless `labels` gives it. */
export function makeNode(name: string, options: NodeOptions = {}): Node {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...options.labels } },
    spec: options.taints !== undefined ? { taints: options.taints } : {},
    status: options.images !== undefined ? { images: options.images } : {},
  };
}

/** Options of `makePod`. */
export interface PodOptions {
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly nodeName?: string;
  readonly affinity?: Affinity;
  readonly spec?: Partial<Pod['spec']>;
}

/** A Pod with one busybox container (namespace `default` unless given). */
export function makePod(name: string, options: PodOptions = {}): Pod {
  return {
    metadata: { name, namespace: options.namespace ?? 'default', uid: `uid-${name}`, labels: { ...options.labels } },
    spec: {
      containers: [{ name: 'c', image: 'busybox' }],
      ...(options.nodeName !== undefined ? { nodeName: options.nodeName } : {}),
      ...(options.affinity !== undefined ? { affinity: options.affinity } : {}),
      ...options.spec,
    },
  };
}

/** The scheduler's own NodeInfo for `node` holding `pods` (as the cache builds it). */
export function makeNodeInfo(node: Node, pods: readonly Pod[] = []): NodeInfo {
  const info = new NodeInfoImpl(node.metadata?.name ?? '', node);
  for (const pod of pods) info.addPod(trackedPodInfo(pod));
  return info;
}

/** NodeInfos for `nodes`, each holding the pods whose `spec.nodeName` names it. */
export function nodeInfosOf(nodes: readonly Node[], pods: readonly Pod[] = []): NodeInfo[] {
  return nodes.map((node) => makeNodeInfo(node, pods.filter((p) => p.spec?.nodeName === node.metadata?.name)));
}

/** A snapshot over `infos` in their order. */
export function makeSnapshot(infos: readonly NodeInfo[]): NodeSnapshot {
  const byName = new Map(infos.map((info) => [info.name, info]));
  return {
    list: () => infos,
    get: (name) => byName.get(name),
    havePodsWithAffinity: () => infos.filter((info) => info.podsWithAffinity.length > 0),
    havePodsWithRequiredAntiAffinity: () => infos.filter((info) => info.podsWithRequiredAntiAffinity.length > 0),
    nodesWithImage: (name) => infos.filter((info) => info.imageSizes.has(name)).length,
  };
}

/** A handle whose snapshot is `infos`. */
export function handleOver(infos: readonly NodeInfo[]): FrameworkHandle {
  const snapshot = makeSnapshot(infos);
  return { snapshot: () => snapshot };
}
