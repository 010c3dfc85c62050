/**
 * PodTopologySpread (upstream plugin of the same name): DoNotSchedule constraints
 * filter nodes whose domain would exceed maxSkew; ScheduleAnyway constraints score
 * nodes by how few matching pods their domains hold. Pods without constraints get
 * the default constraints (upstream's system defaults: zone maxSkew 5 and hostname
 * maxSkew 3, ScheduleAnyway) with the selector of the Services and controller owning
 * them, when the handle can tell it.
 */
import type { Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycleState.js';
import type {
  EnqueueExtensions,
  FilterPlugin,
  FrameworkHandle,
  NodeInfo,
  NodeScore,
  PodInfo,
  PreFilterOutcome,
  PreFilterPlugin,
  PreScorePlugin,
  ScorePlugin,
} from '../../framework/interface.js';
import { errorStatus, skip, success, unresolvable, unschedulable, type Status } from '../../framework/status.js';
import { compileConstraints, type SpreadConstraint } from './constraints.js';
import { DomainCountsCache } from './domainCounts.js';
import { computePreFilterState, spreadViolation, type PreFilterState } from './filtering.js';
import { computePreScoreState, HOSTNAME_LABEL, type PreScoreState } from './scoring.js';

/** The plugin's upstream name. */
export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';

/** Upstream's system default constraints. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = Object.freeze([
  { topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
  { topologyKey: HOSTNAME_LABEL, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
]);

/** Plugin args (upstream PodTopologySpreadArgs). */
export interface PodTopologySpreadArgs {
  /** `System` (default): the system defaults; `List`: `defaultConstraints`. */
  readonly defaultingType?: 'System' | 'List';
  /** Constraints for pods without their own (used with defaultingType List; no labelSelector). */
  readonly defaultConstraints?: readonly TopologySpreadConstraint[];
}

const PRE_FILTER_KEY = 'PreFilter' + POD_TOPOLOGY_SPREAD;
const PRE_SCORE_KEY = 'PreScore' + POD_TOPOLOGY_SPREAD;

/** The PodTopologySpread plugin object. */
export type PodTopologySpreadPlugin = PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Builds the PodTopologySpread plugin over the handle's snapshot. */
export function newPodTopologySpread(handle: FrameworkHandle, args: PodTopologySpreadArgs = {}): PodTopologySpreadPlugin {
  const systemDefaulted = (args.defaultingType ?? 'System') === 'System';
  const defaults = systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : (args.defaultConstraints ?? []);
  const domainCounts = new DomainCountsCache();

  /** The pod's constraints of `action`: its own, else the defaults with the owners' selector (none without one). */
  function constraintsOf(pod: Pod, action: 'DoNotSchedule' | 'ScheduleAnyway'): SpreadConstraint[] {
    const own = pod.spec?.topologySpreadConstraints ?? [];
    const labels = pod.metadata?.labels;
    if (own.length > 0) return compileConstraints(own, action, labels);
    const compiled = compileConstraints(defaults, action, labels);
    if (compiled.length === 0) return compiled;
    const selector = handle.defaultSpreadSelector?.(pod);
    if (selector === undefined || selector.isEmpty()) return [];
    return compiled.map((c) => ({ ...c, selector }));
  }

  function preFilterState(state: CycleState): PreFilterState | undefined {
    return state.read<PreFilterState>(PRE_FILTER_KEY);
  }

  return {
    name: POD_TOPOLOGY_SPREAD,

    preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): PreFilterOutcome {
      let constraints: SpreadConstraint[];
      try {
        constraints = constraintsOf(pod, 'DoNotSchedule');
      } catch (err) {
        return { status: errorStatus(messageOf(err)) };
      }
      if (constraints.length === 0) return { status: skip() };
      state.write(PRE_FILTER_KEY, computePreFilterState(pod, constraints, nodes, domainCounts, state));
      return { status: success() };
    },

    addPod(state: CycleState, pod: Pod, added: PodInfo, node: NodeInfo): Status {
      const data = preFilterState(state);
      if (data === undefined) return errorStatus(`reading "${PRE_FILTER_KEY}" from cycleState: not found`);
      data.update(added.pod, pod, node.node, 1);
      return success();
    },

    removePod(state: CycleState, pod: Pod, removed: PodInfo, node: NodeInfo): Status {
      const data = preFilterState(state);
      if (data === undefined) return errorStatus(`reading "${PRE_FILTER_KEY}" from cycleState: not found`);
      data.update(removed.pod, pod, node.node, -1);
      return success();
    },

    filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
      const data = preFilterState(state);
      if (data === undefined) return errorStatus(`reading "${PRE_FILTER_KEY}" from cycleState: not found`);
      const violation = spreadViolation(data, nodeInfo.node);
      if (violation === undefined) return success();
      return violation.resolvable ? unschedulable(violation.reason) : unresolvable(violation.reason);
    },

    preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
      const allNodes = handle.snapshot().list();
      if (nodes.length === 0 || allNodes.length === 0) return skip();
      let constraints: SpreadConstraint[];
      try {
        constraints = constraintsOf(pod, 'ScheduleAnyway');
      } catch (err) {
        return errorStatus(messageOf(err));
      }
      if (constraints.length === 0) return skip();
      const requireAllTopologies = (pod.spec?.topologySpreadConstraints ?? []).length > 0 || !systemDefaulted;
      state.write(PRE_SCORE_KEY, computePreScoreState(pod, constraints, nodes, allNodes, requireAllTopologies, domainCounts, state));
      return success();
    },

    score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
      return state.read<PreScoreState>(PRE_SCORE_KEY)?.score(pod, nodeInfo) ?? 0;
    },

    normalizeScores(state: CycleState, _pod: Pod, scores: NodeScore[]): void {
      state.read<PreScoreState>(PRE_SCORE_KEY)?.normalize(scores);
    },

    eventsToRegister: () => [
      { resource: 'Pod', action: 'Add' },
      { resource: 'Pod', action: 'Update' },
      { resource: 'Pod', action: 'Delete' },
      { resource: 'Node', action: 'Add' },
      { resource: 'Node', action: 'Update' },
      { resource: 'Node', action: 'Delete' },
    ],
  };
}
