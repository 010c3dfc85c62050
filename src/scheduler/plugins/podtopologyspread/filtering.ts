/**
 * PodTopologySpread's PreFilter state and Filter check (upstream filtering.go): for
 * each DoNotSchedule constraint, the matching pods per topology value over eligible
 * nodes (a domain with no matching pod counts 0) and the two smallest domains
 * (upstream's criticalPaths, kept up to date by preemption's add/remove). Filter
 * admits a node when `matching in its domain + self-match - global minimum <= maxSkew`,
 * the global minimum being 0 while fewer than minDomains domains exist.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { StateData } from '../../framework/cycleState.js';
import type { NodeInfo } from '../../framework/interface.js';
import { requiredNodeAffinityOf } from '../nodeaffinity/nodeSelectorTerms.js';
import { countMatchingPods, hasAllTopologyKeys, nodeIncluded, type SpreadConstraint } from './constraints.js';

/** Upstream's reason when a node's domain would exceed maxSkew. */
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
/** Upstream's reason when a node lacks a constraint's topology key. */
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

/** A domain and its count. */
interface Path {
  value: string;
  count: number;
}

/** The two domains with the fewest matching pods (upstream criticalPaths: [min, second]). */
export class CriticalPaths {
  readonly paths: [Path, Path] = [
    { value: '', count: Number.MAX_SAFE_INTEGER },
    { value: '', count: Number.MAX_SAFE_INTEGER },
  ];

  /** The smallest count seen. */
  get min(): number {
    return this.paths[0].count;
  }

  /** Records that domain `value` now counts `count` (upstream's update rule, an approximation on decrease). */
  update(value: string, count: number): void {
    const [first, second] = this.paths;
    const known = value === first.value ? first : value === second.value ? second : undefined;
    if (known !== undefined) {
      known.count = count;
      if (first.count > second.count) this.paths.reverse();
    } else if (count < first.count) {
      this.paths[1] = { ...first };
      this.paths[0] = { value, count };
    } else if (count < second.count) {
      this.paths[1] = { value, count };
    }
  }

  clone(): CriticalPaths {
    const copy = new CriticalPaths();
    copy.paths[0] = { ...this.paths[0] };
    copy.paths[1] = { ...this.paths[1] };
    return copy;
  }
}

/** See the module comment. */
export class PreFilterState implements StateData {
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    readonly countsByConstraint: Map<string, number>[],
    readonly criticalPaths: CriticalPaths[],
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(
      this.constraints,
      this.countsByConstraint.map((counts) => new Map(counts)),
      this.criticalPaths.map((paths) => paths.clone()),
    );
  }

  /** The global minimum for constraint `i` (0 while fewer than minDomains domains exist). */
  minMatch(i: number): number {
    const domains = this.countsByConstraint[i]?.size ?? 0;
    const constraint = this.constraints[i];
    if (constraint === undefined || domains < constraint.minDomains) return 0;
    return this.criticalPaths[i]?.min ?? 0;
  }

  /** Applies `changed` appearing (delta 1) on or leaving (-1) `node`, as seen by incoming `pod` (preemption's what-if). */
  update(changed: Pod, pod: Pod, node: Node, delta: number): void {
    if (changed.metadata?.namespace !== pod.metadata?.namespace || !hasAllTopologyKeys(node, this.constraints)) return;
    const required = requiredNodeAffinityOf(pod);
    for (const [i, c] of this.constraints.entries()) {
      if (!c.selector.matches(changed.metadata?.labels) || !nodeIncluded(c, pod, node, required)) continue;
      const value = node.metadata?.labels?.[c.topologyKey] ?? '';
      const counts = this.countsByConstraint[i] as Map<string, number>;
      const count = (counts.get(value) ?? 0) + delta;
      counts.set(value, count);
      this.criticalPaths[i]?.update(value, count);
    }
  }
}

/** Counts matching pods per domain over `nodes` for the pod's DoNotSchedule constraints (upstream calPreFilterState). */
export function computePreFilterState(pod: Pod, constraints: readonly SpreadConstraint[], nodes: readonly NodeInfo[]): PreFilterState {
  const counts = constraints.map(() => new Map<string, number>());
  const required = requiredNodeAffinityOf(pod);
  const namespace = pod.metadata?.namespace ?? '';
  for (const info of nodes) {
    const node = info.node;
    if (!hasAllTopologyKeys(node, constraints)) continue;
    for (const [i, c] of constraints.entries()) {
      if (!nodeIncluded(c, pod, node, required)) continue;
      const value = node.metadata?.labels?.[c.topologyKey] ?? '';
      const byValue = counts[i] as Map<string, number>;
      byValue.set(value, (byValue.get(value) ?? 0) + countMatchingPods(info.pods, c.selector, namespace));
    }
  }
  const paths = counts.map((byValue) => {
    const critical = new CriticalPaths();
    for (const [value, count] of byValue) critical.update(value, count);
    return critical;
  });
  return new PreFilterState(constraints, counts, paths);
}

/** Upstream's Filter verdict for one node: undefined when it fits, else the reason and whether it is resolvable. */
export function spreadViolation(state: PreFilterState, pod: Pod, node: Node): { reason: string; resolvable: boolean } | undefined {
  const labels = node.metadata?.labels ?? {};
  for (const [i, c] of state.constraints.entries()) {
    const value = labels[c.topologyKey];
    if (value === undefined) return { reason: ERR_REASON_NODE_LABEL_NOT_MATCH, resolvable: false };
    const selfMatch = c.selector.matches(pod.metadata?.labels) ? 1 : 0;
    const skew = (state.countsByConstraint[i]?.get(value) ?? 0) + selfMatch - state.minMatch(i);
    if (skew > c.maxSkew) return { reason: ERR_REASON_CONSTRAINTS_NOT_MATCH, resolvable: true };
  }
  return undefined;
}
