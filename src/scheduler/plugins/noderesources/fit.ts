/**
 * NodeResourcesFit: Filter checks that the node's allocatable covers what its pods
 * already request plus this pod's requests (cpu, memory, ephemeral-storage, extended
 * resources) and that it has room for one more pod; Score ranks nodes by the
 * LeastAllocated (default) or MostAllocated strategy over cpu and memory, counting
 * upstream's default requests for containers that request nothing.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState, StateData } from '../../framework/cycleState.js';
import { MAX_NODE_SCORE, type EnqueueExtensions, type FilterPlugin, type NodeInfo, type PreFilterOutcome, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from '../../framework/interface.js';
import { trackedPodInfo, type TrackedPodInfo } from '../../framework/podInfo.js';
import { success, unschedulable, type Status } from '../../framework/status.js';

/** The plugin's name. */
export const NODE_RESOURCES_FIT = 'NodeResourcesFit';

/** How Score ranks nodes. */
export type ScoringStrategy = 'LeastAllocated' | 'MostAllocated';

/** The plugin's arguments (upstream NodeResourcesFitArgs, the parts k8ts uses). */
export interface FitArgs {
  readonly scoringStrategy?: ScoringStrategy;
  /** Resources scored, with weights (default cpu 1, memory 1). */
  readonly resources?: ReadonlyArray<{ name: string; weight: number }>;
}

const DEFAULT_RESOURCES = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

/** The pod's requests computed once per cycle, with the requested resources in upstream's check order. */
export class PodRequestState implements StateData {
  /** Requested resources other than `pods`: cpu, memory, ephemeral-storage, then the rest by name. */
  readonly checked: ReadonlyArray<readonly [string, number]>;

  constructor(readonly info: TrackedPodInfo) {
    const fixed = ['cpu', 'memory', 'ephemeral-storage'];
    const names = [...fixed, ...[...info.requests.keys()].filter((n) => !fixed.includes(n) && n !== 'pods').sort()];
    this.checked = names.map((n) => [n, info.requests.get(n) ?? 0] as const).filter(([, amount]) => amount > 0);
  }

  clone(): PodRequestState {
    return this;
  }
}

const PRE_FILTER_KEY = 'PreFilter' + NODE_RESOURCES_FIT;

function cycleRequests(state: CycleState, pod: Pod, key: string): PodRequestState {
  let cached = state.read<PodRequestState>(key);
  if (cached === undefined) state.write(key, (cached = new PodRequestState(trackedPodInfo(pod))));
  return cached;
}

/** The pod's requests as the cycle computed them (computed now when PreFilter did not run). */
export function cyclePodInfo(state: CycleState, pod: Pod, key = PRE_FILTER_KEY): TrackedPodInfo {
  return cycleRequests(state, pod, key).info;
}

/** The reasons a pod with `requests` does not fit `node`'s free resources; empty when it fits. */
export function insufficientResources(requests: PodRequestState, node: NodeInfo): string[] {
  let reasons: string[] | undefined;
  if (node.pods.length + 1 > (node.allocatable.get('pods') ?? 0)) reasons = ['Too many pods'];
  for (const [name, amount] of requests.checked) {
    const free = (node.allocatable.get(name) ?? 0) - (node.requested.get(name) ?? 0);
    if (amount > free) (reasons ??= []).push(`Insufficient ${name}`);
  }
  return reasons ?? [];
}

/** The share of `name` a node would have requested with the pod, for scoring (non-zero rule for cpu and memory). */
export function requestedWithPod(info: TrackedPodInfo, node: NodeInfo, name: string): number {
  if (name === 'cpu') return node.nonZeroRequested.cpu + info.nonZeroCpu;
  if (name === 'memory') return node.nonZeroRequested.memory + info.nonZeroMemory;
  return (node.requested.get(name) ?? 0) + (info.requests.get(name) ?? 0);
}

function strategyScore(strategy: ScoringStrategy, requested: number, allocatable: number): number {
  if (allocatable === 0) return 0;
  if (strategy === 'MostAllocated') return requested > allocatable ? 0 : Math.trunc((requested * MAX_NODE_SCORE) / allocatable);
  return requested > allocatable ? 0 : Math.trunc(((allocatable - requested) * MAX_NODE_SCORE) / allocatable);
}

/** Builds the NodeResourcesFit plugin. */
export function newNodeResourcesFit(args: FitArgs = {}): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions {
  const strategy = args.scoringStrategy ?? 'LeastAllocated';
  const resources = args.resources ?? DEFAULT_RESOURCES;
  return {
    name: NODE_RESOURCES_FIT,
    preFilter(state: CycleState, pod: Pod): PreFilterOutcome {
      state.write(PRE_FILTER_KEY, new PodRequestState(trackedPodInfo(pod)));
      return { status: success() };
    },
    filter(state: CycleState, pod: Pod, node: NodeInfo): Status {
      const reasons = insufficientResources(cycleRequests(state, pod, PRE_FILTER_KEY), node);
      return reasons.length === 0 ? success() : unschedulable(...reasons);
    },
    preScore(state: CycleState, pod: Pod): Status {
      cyclePodInfo(state, pod);
      return success();
    },
    score(state: CycleState, pod: Pod, node: NodeInfo): number {
      const info = cyclePodInfo(state, pod);
      let total = 0;
      let weights = 0;
      for (const { name, weight } of resources) {
        const allocatable = node.allocatable.get(name) ?? 0;
        if (allocatable === 0 && name !== 'cpu' && name !== 'memory') continue;
        total += strategyScore(strategy, requestedWithPod(info, node, name), allocatable) * weight;
        weights += weight;
      }
      return weights === 0 ? 0 : Math.trunc(total / weights);
    },
    eventsToRegister: () => [
      { resource: 'Pod', action: 'Delete' },
      { resource: 'Node', action: 'Add' },
      { resource: 'Node', action: 'Update' },
    ],
  };
}
