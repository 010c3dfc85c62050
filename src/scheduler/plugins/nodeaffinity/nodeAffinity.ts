/**
 * NodeAffinity (upstream plugin of the same name): Filter keeps nodes that match the
 * pod's `spec.nodeSelector` AND its required node affinity (and the scheduler-enforced
 * `addedAffinity` of the plugin args); PreFilter narrows the candidates to the node
 * names that required terms pin through matchFields `metadata.name` (DaemonSet pods);
 * Score sums the weights of the preferred terms a node matches, normalized to 0…100.
 */
import type { NodeAffinity as NodeAffinitySpec, Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState, StateData } from '../../framework/cycleState.js';
import {
  MAX_NODE_SCORE,
  type EnqueueExtensions,
  type FilterPlugin,
  type FrameworkHandle,
  type NodeInfo,
  type NodeScore,
  type PreFilterOutcome,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from '../../framework/interface.js';
import { errorStatus, skip, success, unresolvable, type Status } from '../../framework/status.js';
import { CompiledNodeSelector, NODE_NAME_FIELD, PreferredTerms, requiredNodeAffinityOf, type RequiredNodeAffinity } from '../../../api/nodeAffinity.js';

/** The plugin's upstream name. */
export const NODE_AFFINITY = 'NodeAffinity';

/** Upstream's reason when the pod's node selector or required affinity does not match. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
/** Upstream's reason when the plugin's `addedAffinity` does not match. */
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
/** Upstream's reason when the required terms pin node names that cannot all hold. */
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

/** Plugin args (upstream NodeAffinityArgs). */
export interface NodeAffinityArgs {
  /** Node affinity applied to every pod on top of its own (required terms and preferred terms). */
  readonly addedAffinity?: NodeAffinitySpec;
}

const PRE_FILTER_KEY = 'PreFilter' + NODE_AFFINITY;
const PRE_SCORE_KEY = 'PreScore' + NODE_AFFINITY;

/** Immutable per-cycle data: cloning shares it. */
class Shared<T> implements StateData {
  constructor(readonly value: T) {}
  clone(): this {
    return this;
  }
}

/** The node names required terms pin (undefined: any node may fit). Upstream's PreFilter rule. */
function pinnedNodeNames(pod: Pod): Set<string> | undefined {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length === 0) return undefined;
  const union = new Set<string>();
  for (const term of terms) {
    let names: Set<string> | undefined;
    for (const req of term.matchFields ?? []) {
      if (req.key !== NODE_NAME_FIELD || req.operator !== 'In') continue;
      const values = new Set(req.values ?? []);
      names = names === undefined ? values : new Set([...names].filter((n) => values.has(n)));
    }
    if (names === undefined) return undefined;
    for (const name of names) union.add(name);
  }
  return union;
}

/** Upstream DefaultNormalizeScore (not reversed): scales scores so the highest becomes MAX_NODE_SCORE. */
function normalizeToMax(scores: NodeScore[]): void {
  let max = 0;
  for (const s of scores) if (s.score > max) max = s.score;
  if (max === 0) return;
  for (const s of scores) s.score = Math.trunc((MAX_NODE_SCORE * s.score) / max);
}

/** The NodeAffinity plugin object. */
export type NodeAffinityPlugin = PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions;

/** Builds the NodeAffinity plugin; throws when `args.addedAffinity` has a malformed preferred term. */
export function newNodeAffinity(_handle?: FrameworkHandle, args: NodeAffinityArgs = {}): NodeAffinityPlugin {
  const addedRequired = args.addedAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const addedSelector = addedRequired !== undefined ? new CompiledNodeSelector(addedRequired) : undefined;
  const addedPreferredSpec = args.addedAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  const addedPreferred = addedPreferredSpec.length > 0 ? PreferredTerms.compile(addedPreferredSpec) : undefined;

  return {
    name: NODE_AFFINITY,

    preFilter(state: CycleState, pod: Pod): PreFilterOutcome {
      const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      if (required === undefined && addedSelector === undefined && pod.spec?.nodeSelector === undefined) return { status: skip() };
      state.write(PRE_FILTER_KEY, new Shared(requiredNodeAffinityOf(pod)));
      const names = pinnedNodeNames(pod);
      if (names === undefined) return { status: success() };
      if (names.size === 0) return { status: unresolvable(ERR_REASON_CONFLICT) };
      return { status: success(), nodeNames: names };
    },

    filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
      if (addedSelector !== undefined && !addedSelector.matches(nodeInfo.node)) return unresolvable(ERR_REASON_ENFORCED);
      const required = state.read<Shared<RequiredNodeAffinity>>(PRE_FILTER_KEY)?.value ?? requiredNodeAffinityOf(pod);
      return required.matches(nodeInfo.node) ? success() : unresolvable(ERR_REASON_POD);
    },

    preScore(state: CycleState, pod: Pod): Status {
      const preferred = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
      if (preferred === undefined && addedPreferred === undefined) return skip();
      try {
        state.write(PRE_SCORE_KEY, new Shared(preferred !== undefined ? PreferredTerms.compile(preferred) : undefined));
      } catch (err) {
        return errorStatus(err instanceof Error ? err.message : String(err));
      }
      return success();
    },

    score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
      let total = addedPreferred?.score(nodeInfo.node) ?? 0;
      const shared = state.read<Shared<PreferredTerms | undefined>>(PRE_SCORE_KEY);
      const preferredSpec = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
      const preferred = shared !== undefined ? shared.value : preferredSpec !== undefined ? PreferredTerms.compile(preferredSpec) : undefined;
      total += preferred?.score(nodeInfo.node) ?? 0;
      return total;
    },

    normalizeScores(_state: CycleState, _pod: Pod, scores: NodeScore[]): void {
      normalizeToMax(scores);
    },

    eventsToRegister: () => [
      { resource: 'Node', action: 'Add' },
      { resource: 'Node', action: 'Update' },
    ],
  };
}
