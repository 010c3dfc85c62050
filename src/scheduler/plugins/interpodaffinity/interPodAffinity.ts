/**
 * InterPodAffinity (upstream plugin of the same name): Filter enforces the incoming
 * pod's required pod affinity and anti-affinity and existing pods' required
 * anti-affinity against it, by topology; Score prefers topologies the preferred terms
 * (both ways) and existing pods' required affinity point to, normalized to 0…100.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycleState.js';
import {
  MAX_NODE_SCORE,
  type EnqueueExtensions,
  type FilterPlugin,
  type FrameworkHandle,
  type NodeInfo,
  type NodeScore,
  type PodInfo,
  type PreFilterOutcome,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from '../../framework/interface.js';
import { errorStatus, skip, success, unresolvable, unschedulable, type Status } from '../../framework/status.js';
import { affinityTermsOf, withResolvedNamespaces } from './affinityTerms.js';
import { ClusterCounts } from './clusterCounts.js';
import { ERR_REASON_AFFINITY, ERR_REASON_ANTI_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY, PreFilterState } from './filtering.js';
import type { ScoringInput, TopologyScores } from './scoring.js';
import { TopologyCounts } from './topologyCounts.js';

/** The plugin's upstream name. */
export const INTER_POD_AFFINITY = 'InterPodAffinity';

/** Plugin args (upstream InterPodAffinityArgs). */
export interface InterPodAffinityArgs {
  /** Score weight of existing pods' required affinity terms the incoming pod matches (default 1). */
  readonly hardPodAffinityWeight?: number;
  /** Skip scoring existing pods' preferred terms when the incoming pod has no preferred terms (default false). */
  readonly ignorePreferredTermsOfExistingPods?: boolean;
}

const PRE_FILTER_KEY = 'PreFilter' + INTER_POD_AFFINITY;
const PRE_SCORE_KEY = 'PreScore' + INTER_POD_AFFINITY;

/** The InterPodAffinity plugin object. */
export type InterPodAffinityPlugin = PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions;

/** Upstream's NormalizeScore: min…max mapped linearly onto 0…MAX_NODE_SCORE (all 0 when equal). */
function normalizeMinMax(scores: NodeScore[]): void {
  let min = Infinity;
  let max = -Infinity;
  for (const s of scores) {
    if (s.score < min) min = s.score;
    if (s.score > max) max = s.score;
  }
  const spread = max - min;
  for (const s of scores) s.score = spread > 0 ? Math.trunc(MAX_NODE_SCORE * ((s.score - min) / spread)) : 0;
}

/** Builds the InterPodAffinity plugin over the handle's snapshot. */
export function newInterPodAffinity(handle: FrameworkHandle, args: InterPodAffinityArgs = {}): InterPodAffinityPlugin {
  const hardPodAffinityWeight = args.hardPodAffinityWeight ?? 1;
  const ignorePreferredOfExisting = args.ignorePreferredTermsOfExistingPods ?? false;
  const counts = new ClusterCounts();
  const namespaceLabelsOf = (pod: Pod) => handle.namespaces?.namespaceLabels(pod.metadata?.namespace ?? '');

  return {
    name: INTER_POD_AFFINITY,

    preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): PreFilterOutcome {
      const terms = affinityTermsOf(pod);
      if (terms.parseError !== undefined) return { status: unresolvable(`parsing pod: ${terms.parseError}`) };
      const affinityTerms = withResolvedNamespaces(terms.requiredAffinity, handle.namespaces);
      const antiAffinityTerms = withResolvedNamespaces(terms.requiredAntiAffinity, handle.namespaces);
      const namespaceLabels = namespaceLabelsOf(pod);
      const existing = counts.existingAntiAffinity(pod, namespaceLabels, nodes, state);
      const incoming = affinityTerms.length + antiAffinityTerms.length > 0 ? counts.incoming(affinityTerms, antiAffinityTerms, nodes, state) : undefined;
      const data = new PreFilterState(
        pod,
        affinityTerms,
        antiAffinityTerms,
        namespaceLabels,
        existing,
        incoming?.affinity ?? new TopologyCounts(),
        incoming?.antiAffinity ?? new TopologyCounts(),
      );
      if (data.existingAntiAffinityCounts.size === 0 && data.affinityTerms.length === 0 && data.antiAffinityTerms.length === 0) {
        return { status: skip() };
      }
      state.write(PRE_FILTER_KEY, data);
      return { status: success() };
    },

    addPod(state: CycleState, _pod: Pod, added: PodInfo, node: NodeInfo): Status {
      const data = state.read<PreFilterState>(PRE_FILTER_KEY);
      if (data === undefined) return errorStatus(`reading "${PRE_FILTER_KEY}" from cycleState: not found`);
      data.update(added.pod, node.node, 1);
      return success();
    },

    removePod(state: CycleState, _pod: Pod, removed: PodInfo, node: NodeInfo): Status {
      const data = state.read<PreFilterState>(PRE_FILTER_KEY);
      if (data === undefined) return errorStatus(`reading "${PRE_FILTER_KEY}" from cycleState: not found`);
      data.update(removed.pod, node.node, -1);
      return success();
    },

    filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
      const data = state.read<PreFilterState>(PRE_FILTER_KEY);
      if (data === undefined) return errorStatus(`reading "${PRE_FILTER_KEY}" from cycleState: not found`);
      if (!data.satisfiesAffinity(nodeInfo.node)) return unresolvable(ERR_REASON_AFFINITY);
      if (!data.satisfiesAntiAffinity(nodeInfo.node)) return unschedulable(ERR_REASON_ANTI_AFFINITY);
      if (!data.satisfiesExistingAntiAffinity(nodeInfo.node)) return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
      return success();
    },

    preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
      if (nodes.length === 0) return skip();
      const terms = affinityTermsOf(pod);
      const hasPreferred = terms.preferredAffinity.length > 0 || terms.preferredAntiAffinity.length > 0;
      if (ignorePreferredOfExisting && !hasPreferred) return skip();
      const input: ScoringInput = {
        pod,
        preferredAffinity: withResolvedNamespaces(terms.preferredAffinity, handle.namespaces),
        preferredAntiAffinity: withResolvedNamespaces(terms.preferredAntiAffinity, handle.namespaces),
        namespaceLabels: namespaceLabelsOf(pod),
        hardPodAffinityWeight,
      };
      const snapshot = handle.snapshot();
      if (!hasPreferred && snapshot.havePodsWithAffinity().length === 0) return skip();
      const scores = counts.scores(input, hasPreferred, snapshot.list(), state);
      if (scores.contributors === 0) return skip();
      state.write(PRE_SCORE_KEY, scores.scores);
      return success();
    },

    score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
      return state.read<TopologyScores>(PRE_SCORE_KEY)?.scoreOf(nodeInfo.node) ?? 0;
    },

    normalizeScores(state: CycleState, _pod: Pod, scores: NodeScore[]): void {
      const data = state.read<TopologyScores>(PRE_SCORE_KEY);
      if (data === undefined || data.byKey.size === 0) return;
      normalizeMinMax(scores);
    },

    eventsToRegister: () => [
      { resource: 'Pod', action: 'Add' },
      { resource: 'Pod', action: 'Update' },
      { resource: 'Pod', action: 'Delete' },
      { resource: 'Node', action: 'Add' },
      { resource: 'Node', action: 'Update' },
    ],
  };
}
