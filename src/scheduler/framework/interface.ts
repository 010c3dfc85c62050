/**
 * The scheduling framework's contracts (upstream pkg/scheduler/framework): what the
 * framework knows about each node in a cycle, and the extension points plugins
 * implement. A plugin implements the points it needs; the profile decides which
 * plugins run at which point and with what score weight.
 *
 * Units of every resource amount: cpu in millicores, everything else in its plain
 * value (bytes, counts), as `resourceAmount` of src/api/podResources.ts gives them.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { LabelSelector, Labels } from '../../api/selectors/labelSelector.js';
import type { CycleState } from './cycleState.js';
import type { Status } from './status.js';

/** Resource amounts by resource name (`cpu`, `memory`, `ephemeral-storage`, `pods`, extended names). */
export type ResourceAmounts = ReadonlyMap<string, number>;

/** A pod the framework tracks on a node, with what it was computed to need. */
export interface PodInfo {
  readonly pod: Pod;
  /** The pod's effective requests (init-container rule, sidecars and overhead included). */
  readonly requests: ResourceAmounts;
}

/** A host port in use on a node. */
export interface HostPortUse {
  readonly hostIP: string;
  readonly protocol: string;
  readonly port: number;
}

/** One node as a scheduling cycle sees it: the Node and every pod assumed or bound to it. */
export interface NodeInfo {
  readonly node: Node;
  readonly name: string;
  readonly pods: readonly PodInfo[];
  /** Pods on the node with any pod affinity or anti-affinity (required or preferred). */
  readonly podsWithAffinity: readonly PodInfo[];
  /** Pods on the node with required pod anti-affinity. */
  readonly podsWithRequiredAntiAffinity: readonly PodInfo[];
  /** Sum of the pods' requests. */
  readonly requested: ResourceAmounts;
  /** Sum of the pods' cpu and memory requests, counting upstream's defaults (100m, 200Mi) for containers that request none. */
  readonly nonZeroRequested: { readonly cpu: number; readonly memory: number };
  /** The node's allocatable resources (`pods` included). */
  readonly allocatable: ResourceAmounts;
  readonly usedPorts: readonly HostPortUse[];
  /** Sizes in bytes of the images the node reports (`status.images`), by every name of each image. */
  readonly imageSizes: ResourceAmounts;
}

/** The nodes of one scheduling cycle; unchanged during the cycle. */
export interface NodeSnapshot {
  /** Every node, in a stable order. */
  list(): readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  /** The nodes that have at least one pod with pod affinity or anti-affinity. */
  havePodsWithAffinity(): readonly NodeInfo[];
  /** The nodes that have at least one pod with required pod anti-affinity. */
  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[];
  /** How many nodes report image `name` (ImageLocality's spread factor). */
  nodesWithImage(name: string): number;
}

/** What the framework gives plugins when it builds them. */
export interface FrameworkHandle {
  /** The snapshot of the cycle under way. */
  snapshot(): NodeSnapshot;
  /** Namespace labels (for namespaceSelector terms), when the scheduler watches namespaces. */
  readonly namespaces?: NamespaceSource;
  /**
   * The selectors of the Services selecting `pod` and of its ReplicaSet, ReplicationController
   * or StatefulSet owner, ANDed (upstream helper.DefaultSelector; empty when none): what
   * system-default topology spreading counts. Absent: no default spreading.
   */
  defaultSpreadSelector?(pod: Pod): LabelSelector;
}

/**
 * Namespace labels, which namespaceSelector terms need. The scheduler's handle
 * provides it (backed by a Namespace informer); without it, namespaceSelectors other
 * than the empty one select no namespace.
 */
export interface NamespaceSource {
  /** The labels of namespace `name` (undefined when unknown). */
  namespaceLabels(name: string): Labels;
  /** Every known namespace with its labels. */
  namespaces(): Iterable<readonly [name: string, labels: Labels]>;
}


/** Every plugin has a name (the one profiles and FailedScheduling messages use). */
export interface Plugin {
  readonly name: string;
}

/** Orders the active queue (PrioritySort: higher priority first, then earlier). */
export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPod, b: QueuedPod): boolean;
}

/** A pod waiting in the scheduling queue. */
export interface QueuedPod {
  readonly pod: Pod;
  /** When it entered the queue this time (ms). */
  readonly timestamp: number;
  /** Scheduling attempts so far. */
  readonly attempts: number;
}

/** What PreFilter may narrow the candidates to. */
export interface PreFilterOutcome {
  readonly status: Status;
  /** Only these nodes can fit (undefined: all). */
  readonly nodeNames?: ReadonlySet<string>;
}

/** Runs once per cycle before Filter; computes state, may reject the pod outright. */
export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): PreFilterOutcome;
  /** Updates the plugin's state as if `added` ran on `node` (preemption's what-if; optional). */
  addPod?(state: CycleState, pod: Pod, added: PodInfo, node: NodeInfo): Status;
  /** Updates the plugin's state as if `removed` were gone from `node` (preemption's what-if; optional). */
  removePod?(state: CycleState, pod: Pod, removed: PodInfo, node: NodeInfo): Status;
}

/** Decides whether the pod fits one node. */
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, node: NodeInfo): Status;
}

/** Runs when no node fits (DefaultPreemption). */
export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: Pod, rejections: ReadonlyMap<string, Status>, signal: AbortSignal): Promise<{ status: Status; nominatedNodeName?: string }>;
}

/** Runs once per cycle over the feasible nodes before Score. */
export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status;
}

/** A node's score from one plugin. */
export interface NodeScore {
  readonly name: string;
  score: number;
}

/** The highest score a plugin gives after normalization (upstream MaxNodeScore). */
export const MAX_NODE_SCORE = 100;

/** Ranks feasible nodes; the framework multiplies by the profile's weight and sums. */
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Pod, node: NodeInfo): number;
  /** Rescales this plugin's scores to 0…MAX_NODE_SCORE in place (optional). */
  normalizeScores?(state: CycleState, pod: Pod, scores: NodeScore[]): void;
}

/** Reserves resources for the pod on the chosen node; `unreserve` undoes it when a later point fails. */
export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): Promise<Status>;
  unreserve(state: CycleState, pod: Pod, nodeName: string): Promise<void>;
}

/** Runs before binding (VolumeBinding binds claims here). */
export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: Pod, nodeName: string, signal: AbortSignal): Promise<Status>;
}

/** Binds the pod; a Skip status hands over to the next bind plugin. */
export interface BindPlugin extends Plugin {
  bind(state: CycleState, pod: Pod, nodeName: string, signal: AbortSignal): Promise<Status>;
}

/** A change in the cluster that may make a rejected pod schedulable. */
export interface ClusterEvent {
  readonly resource: 'Pod' | 'Node' | 'PersistentVolumeClaim' | 'PersistentVolume' | 'StorageClass' | 'Service';
  readonly action: 'Add' | 'Update' | 'Delete';
}

/** Plugins that reject pods say which cluster events may change their mind (the queue moves pods on those). */
export interface EnqueueExtensions extends Plugin {
  eventsToRegister(): readonly ClusterEvent[];
}
