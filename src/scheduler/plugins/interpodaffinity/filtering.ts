/**
 * InterPodAffinity's PreFilter state and Filter checks (upstream filtering.go):
 * per cycle it counts, by topology pair, (1) existing pods whose required
 * anti-affinity covers the incoming pod, (2) existing pods matching all the incoming
 * pod's required affinity terms, (3) existing pods matching each of its required
 * anti-affinity terms. Filter then looks a node's labels up in those counts.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Labels } from '../../../api/selectors/labelSelector.js';
import type { StateData } from '../../framework/cycleState.js';
import type { NodeInfo } from '../../framework/interface.js';
import { affinityTermsOf, podMatchesAllTerms, termMatchesPod, type AffinityTerm } from './affinityTerms.js';
import { TopologyCounts } from './topologyCounts.js';

/** Upstream's reason when a node has no pod the required affinity asks for. */
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
/** Upstream's reason when a node is in a topology holding a pod the required anti-affinity excludes. */
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
/** Upstream's reason when an existing pod's required anti-affinity excludes the incoming pod. */
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

/** What PreFilter computed for one pod; see the module comment. */
export class PreFilterState implements StateData {
  constructor(
    readonly pod: Pod,
    /** The incoming pod's required affinity terms, namespaceSelectors resolved. */
    readonly affinityTerms: readonly AffinityTerm[],
    /** The incoming pod's required anti-affinity terms, namespaceSelectors resolved. */
    readonly antiAffinityTerms: readonly AffinityTerm[],
    /** The labels of the incoming pod's namespace (existing pods' namespaceSelectors test them). */
    readonly namespaceLabels: Labels,
    readonly existingAntiAffinityCounts = new TopologyCounts(),
    readonly affinityCounts = new TopologyCounts(),
    readonly antiAffinityCounts = new TopologyCounts(),
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(
      this.pod,
      this.affinityTerms,
      this.antiAffinityTerms,
      this.namespaceLabels,
      this.existingAntiAffinityCounts.clone(),
      this.affinityCounts.clone(),
      this.antiAffinityCounts.clone(),
    );
  }

  /** Counts the required anti-affinity of `existing` (on `node`) against the incoming pod, `delta` times. */
  countExistingAntiAffinity(existing: Pod, node: Node, delta: number): void {
    for (const term of affinityTermsOf(existing).requiredAntiAffinity) {
      if (termMatchesPod(term, this.pod, this.namespaceLabels)) this.existingAntiAffinityCounts.addForNode(node, term.topologyKey, delta);
    }
  }

  /** Counts `existing` (on `node`) against the incoming pod's required terms, `delta` times. */
  countIncomingTerms(existing: Pod, node: Node, delta: number): void {
    if (this.affinityTerms.length > 0 && podMatchesAllTerms(this.affinityTerms, existing, undefined)) {
      for (const term of this.affinityTerms) this.affinityCounts.addForNode(node, term.topologyKey, delta);
    }
    for (const term of this.antiAffinityTerms) {
      if (termMatchesPod(term, existing, undefined)) this.antiAffinityCounts.addForNode(node, term.topologyKey, delta);
    }
  }

  /** Applies a pod appearing (`delta` 1) on or leaving (-1) `node` (preemption's what-if). */
  update(existing: Pod, node: Node, delta: number): void {
    this.countExistingAntiAffinity(existing, node, delta);
    this.countIncomingTerms(existing, node, delta);
  }

  /** Whether the node has every affinity topology key and a matching pod in each, or the first-pod exception applies. */
  satisfiesAffinity(node: Node): boolean {
    const labels = node.metadata?.labels ?? {};
    let podsExist = true;
    for (const term of this.affinityTerms) {
      const value = labels[term.topologyKey];
      if (value === undefined) return false;
      if (this.affinityCounts.get(term.topologyKey, value) <= 0) podsExist = false;
    }
    if (podsExist) return true;
    // The first pod of a group with affinity to itself: no pod anywhere matches, but it matches its own terms.
    return this.affinityCounts.size === 0 && podMatchesAllTerms(this.affinityTerms, this.pod, undefined);
  }

  /** Whether no topology of the node holds a pod the incoming anti-affinity excludes. */
  satisfiesAntiAffinity(node: Node): boolean {
    if (this.antiAffinityCounts.size === 0) return true;
    const labels = node.metadata?.labels ?? {};
    for (const term of this.antiAffinityTerms) {
      const value = labels[term.topologyKey];
      if (value !== undefined && this.antiAffinityCounts.get(term.topologyKey, value) > 0) return false;
    }
    return true;
  }

  /** Whether no existing pod's anti-affinity excludes the incoming pod from this node's topologies. */
  satisfiesExistingAntiAffinity(node: Node): boolean {
    return !this.existingAntiAffinityCounts.anyPositiveOn(node);
  }
}

/** Fills the counts of `state` from the cluster: every node for the incoming terms, the given nodes for existing anti-affinity. */
export function countCluster(state: PreFilterState, allNodes: readonly NodeInfo[], nodesWithRequiredAntiAffinity: readonly NodeInfo[]): void {
  for (const info of nodesWithRequiredAntiAffinity) {
    for (const existing of info.podsWithRequiredAntiAffinity) state.countExistingAntiAffinity(existing.pod, info.node, 1);
  }
  if (state.affinityTerms.length === 0 && state.antiAffinityTerms.length === 0) return;
  for (const info of allNodes) {
    for (const existing of info.pods) state.countIncomingTerms(existing.pod, info.node, 1);
  }
}
