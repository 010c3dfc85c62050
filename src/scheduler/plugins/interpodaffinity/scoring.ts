/**
 * InterPodAffinity's PreScore state (upstream scoring.go): a score per topology pair,
 * summed from the incoming pod's preferred terms over existing pods (+weight for
 * affinity, -weight for anti-affinity) and from existing pods' terms over the incoming
 * pod (required affinity at hardPodAffinityWeight, preferred affinity +weight,
 * preferred anti-affinity -weight). A node's score is the sum over its labels.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Labels } from '../../../api/selectors/labelSelector.js';
import type { StateData } from '../../framework/cycleState.js';
import type { PodInfo } from '../../framework/interface.js';
import { affinityTermsOf, termMatchesPod, type AffinityTerm, type WeightedAffinityTerm } from './affinityTerms.js';

/** Scores by topology key, then value. */
export class TopologyScores implements StateData {
  readonly byKey = new Map<string, Map<string, number>>();

  /** Shared: the scores do not change after PreScore. */
  clone(): this {
    return this;
  }

  /** Adds `amount` to the pair `node` has for `key` (nothing when it lacks the label). */
  add(node: Node, key: string, amount: number): void {
    const value = node.metadata?.labels?.[key];
    if (value === undefined) return;
    let values = this.byKey.get(key);
    if (values === undefined) {
      values = new Map();
      this.byKey.set(key, values);
    }
    values.set(value, (values.get(value) ?? 0) + amount);
  }

  /** Adds (sign 1) or subtracts (-1) every pair score of `other`. */
  merge(other: TopologyScores, sign: 1 | -1): void {
    for (const [key, values] of other.byKey) {
      let mine = this.byKey.get(key);
      if (mine === undefined) {
        mine = new Map();
        this.byKey.set(key, mine);
      }
      for (const [value, amount] of values) mine.set(value, (mine.get(value) ?? 0) + sign * amount);
    }
  }

  /** The node's score: the sum of the scores of the pairs among its labels. */
  scoreOf(node: Node): number {
    const labels = node.metadata?.labels;
    if (labels === undefined) return 0;
    let sum = 0;
    for (const [key, values] of this.byKey) {
      const value = labels[key];
      if (value !== undefined) sum += values.get(value) ?? 0;
    }
    return sum;
  }
}

/** What one PreScore needs to score existing pods. */
export interface ScoringInput {
  readonly pod: Pod;
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
  readonly namespaceLabels: Labels;
  readonly hardPodAffinityWeight: number;
}

function addTerms(scores: TopologyScores, terms: readonly WeightedAffinityTerm[], pod: Pod, nsLabels: Labels, node: Node, sign: 1 | -1): void {
  for (const term of terms) {
    if (termMatchesPod(term, pod, nsLabels)) scores.add(node, term.topologyKey, sign * term.weight);
  }
}

function addRequired(scores: TopologyScores, terms: readonly AffinityTerm[], weight: number, pod: Pod, nsLabels: Labels, node: Node): void {
  for (const term of terms) {
    if (termMatchesPod(term, pod, nsLabels)) scores.add(node, term.topologyKey, weight);
  }
}

/** Adds what one existing pod on `node` contributes (upstream processExistingPod). */
export function scoreExistingPod(scores: TopologyScores, input: ScoringInput, existing: PodInfo, node: Node): void {
  const labels = node.metadata?.labels;
  if (labels === undefined || Object.keys(labels).length === 0) return;
  addTerms(scores, input.preferredAffinity, existing.pod, undefined, node, 1);
  addTerms(scores, input.preferredAntiAffinity, existing.pod, undefined, node, -1);
  const terms = affinityTermsOf(existing.pod);
  if (input.hardPodAffinityWeight > 0) addRequired(scores, terms.requiredAffinity, input.hardPodAffinityWeight, input.pod, input.namespaceLabels, node);
  addTerms(scores, terms.preferredAffinity, input.pod, input.namespaceLabels, node, 1);
  addTerms(scores, terms.preferredAntiAffinity, input.pod, input.namespaceLabels, node, -1);
}
