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
import { affinityTermsOf, podMatchesAllTerms, termMatchesPod, type AffinityTerm } from './affinityTerms.js';
import type { TopologyCounts } from './topologyCounts.js';

/** Upstream's reason when a node has no pod the required affinity asks for. */
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
/** Upstream's reason when a node is in a topology holding a pod the required anti-affinity excludes. */
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
/** Upstream's reason when an existing pod's required anti-affinity excludes the incoming pod. */
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

/**
 * What PreFilter computed for one pod; see the module comment. The counts are shared
 * with the plugin's cache until preemption's what-ifs change them (copied first).
 */
export class PreFilterState implements StateData {
  #owned = false;

  constructor(
    readonly pod: Pod,
    /** The incoming pod's required affinity terms, namespaceSelectors resolved. */
    readonly affinityTerms: readonly AffinityTerm[],
    /** The incoming pod's required anti-affinity terms, namespaceSelectors resolved. */
    readonly antiAffinityTerms: readonly AffinityTerm[],
    /** The labels of the incoming pod's namespace (existing pods' namespaceSelectors test them). */
    readonly namespaceLabels: Labels,
    public existingAntiAffinityCounts: TopologyCounts,
    public affinityCounts: TopologyCounts,
    public antiAffinityCounts: TopologyCounts,
  ) {}

  clone(): PreFilterState {
    const copy = new PreFilterState(
      this.pod,
      this.affinityTerms,
      this.antiAffinityTerms,
      this.namespaceLabels,
      this.existingAntiAffinityCounts,
      this.affinityCounts,
      this.antiAffinityCounts,
    );
    if (this.#owned) copy.#own();
    return copy;
  }

  #own(): void {
    this.existingAntiAffinityCounts = this.existingAntiAffinityCounts.clone();
    this.affinityCounts = this.affinityCounts.clone();
    this.antiAffinityCounts = this.antiAffinityCounts.clone();
    this.#owned = true;
  }

  /** Applies a pod appearing (`delta` 1) on or leaving (-1) `node` (preemption's what-if; upstream updateWithPod). */
  update(existing: Pod, node: Node, delta: number): void {
    if (!this.#owned) this.#own();
    for (const term of affinityTermsOf(existing).requiredAntiAffinity) {
      if (termMatchesPod(term, this.pod, this.namespaceLabels)) this.existingAntiAffinityCounts.addForNode(node, term.topologyKey, delta);
    }
    if (this.affinityTerms.length > 0 && podMatchesAllTerms(this.affinityTerms, existing, undefined)) {
      for (const term of this.affinityTerms) this.affinityCounts.addForNode(node, term.topologyKey, delta);
    }
    for (const term of this.antiAffinityTerms) {
      if (termMatchesPod(term, existing, undefined)) this.antiAffinityCounts.addForNode(node, term.topologyKey, delta);
    }
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
