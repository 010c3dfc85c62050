/**
 * Test fixture for the scheduler plugins: hand-built Nodes, Pods, NodeInfos and a
 * NodeSnapshot over them, computed the way the framework contract describes
 * (pods with affinity, pods with required anti-affinity, image sizes by every name).
 */
import type { Affinity, Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { FrameworkHandle, NodeInfo, NodeSnapshot, PodInfo } from '../../framework/interface.js';

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

function podInfoOf(pod: Pod): PodInfo {
  return { pod, requests: new Map() };
}

function hasAffinity(pod: Pod): boolean {
  const affinity = pod.spec?.affinity;
  return affinity?.podAffinity !== undefined || affinity?.podAntiAffinity !== undefined;
}

function hasRequiredAntiAffinity(pod: Pod): boolean {
  return (pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length > 0;
}

/** A NodeInfo for `node` holding `pods`. */
export function makeNodeInfo(node: Node, pods: readonly Pod[] = []): NodeInfo {
  const infos = pods.map(podInfoOf);
  const imageSizes = new Map<string, number>();
  for (const image of node.status?.images ?? []) for (const name of image.names ?? []) imageSizes.set(name, image.sizeBytes ?? 0);
  return {
    node,
    name: node.metadata?.name ?? '',
    pods: infos,
    podsWithAffinity: infos.filter((p) => hasAffinity(p.pod)),
    podsWithRequiredAntiAffinity: infos.filter((p) => hasRequiredAntiAffinity(p.pod)),
    requested: new Map(),
    nonZeroRequested: { cpu: 0, memory: 0 },
    allocatable: new Map(),
    usedPorts: [],
    imageSizes,
  };
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
