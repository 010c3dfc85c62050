/**
 * A scheduling profile (upstream KubeSchedulerProfile): the scheduler name it serves
 * and its plugins, each built by a factory from the framework handle, with a score
 * weight for plugins that score. A plugin runs at every extension point it implements,
 * in the order the profile lists plugins.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock, RestClient } from '../../client/index.js';
import type { CycleState } from './cycleState.js';
import type { FrameworkHandle, NodeInfo, Plugin, PodInfo } from './interface.js';
import type { NodeInfoImpl } from './nodeInfo.js';
import type { Status } from './status.js';

/**
 * What the scheduler gives plugins beyond the snapshot: the API client, the clock,
 * what the framework's own filters say about a what-if node (preemption), and the pods
 * nominated to nodes.
 */
export interface SchedulerHandle extends FrameworkHandle {
  readonly client: RestClient;
  readonly clock: Clock;
  /** Runs every Filter plugin of the profile on `node` (the first rejection wins). */
  runFilters(state: CycleState, pod: Pod, node: NodeInfo): Status;
  /** Runs every PreFilter plugin's `addPod` extension (preemption's what-if). */
  runAddPod(state: CycleState, pod: Pod, added: PodInfo, node: NodeInfo): Status;
  /** Runs every PreFilter plugin's `removePod` extension (preemption's what-if). */
  runRemovePod(state: CycleState, pod: Pod, removed: PodInfo, node: NodeInfo): Status;
  /** Pending pods nominated to `nodeName` (status.nominatedNodeName). */
  nominatedPods(nodeName: string): readonly Pod[];
  /** An independent, modifiable copy of the cycle's NodeInfo of `nodeName` (preemption's what-if). */
  cloneNode(nodeName: string): NodeInfoImpl | undefined;
  /** Records an event about `pod` as the scheduler (best effort, in the background). */
  recordEvent(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** The profile's scheduler name. */
  readonly schedulerName: string;
}

/** Builds a plugin for one profile. */
export type PluginFactory = (handle: SchedulerHandle) => Plugin;

/** One plugin of a profile, with its score weight (scoring plugins; default 1). */
export interface ProfilePlugin {
  readonly factory: PluginFactory;
  readonly scoreWeight?: number;
}

/** See the module comment. */
export interface Profile {
  readonly schedulerName: string;
  readonly plugins: readonly ProfilePlugin[];
  /** Percentage of nodes to score (0 or absent: upstream's adaptive percentage). */
  readonly percentageOfNodesToScore?: number;
}
