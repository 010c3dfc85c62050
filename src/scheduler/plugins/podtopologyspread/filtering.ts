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
import { requiredNodeAffinityOf } from '../../../api/nodeAffinity.js';
import { hasAllTopologyKeys, nodeIncluded, type SpreadConstraint } from './constraints.js';
import type { DomainCountsCache, Domains } from './domainCounts.js';

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

/** See the module comment. The domains are shared with the cache; preemption's what-ifs go to a private overlay. */
export class PreFilterState implements StateData {
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    readonly domains: readonly Domains[],
    readonly criticalPaths: CriticalPaths[],
    /** Per constraint: whether the incoming pod matches its own selector (1) or not (0). */
    readonly selfMatch: readonly number[],
    /** Per constraint: counts changed by what-ifs, by topology value. */
    readonly overlay: Map<string, number>[] = constraints.map(() => new Map()),
  ) {}

  /** Per constraint: the global minimum, computed on first use after a change. */
  #minMatch: (number | undefined)[] = [];

  clone(): PreFilterState {
    return new PreFilterState(
      this.constraints,
      this.domains,
      this.criticalPaths.map((paths) => paths.clone()),
      this.selfMatch,
      this.overlay.map((changes) => new Map(changes)),
    );
  }

  /** Matching pods in domain `value` of constraint `i`. */
  count(i: number, value: string): number {
    return this.overlay[i]?.get(value) ?? this.domains[i]?.get(value)?.pods ?? 0;
  }

  /** The global minimum for constraint `i` (0 while fewer than minDomains domains exist). */
  minMatch(i: number): number {
    return (this.#minMatch[i] ??= this.#computeMinMatch(i));
  }

  #computeMinMatch(i: number): number {
    const constraint = this.constraints[i];
    const domains = this.domains[i];
    if (constraint === undefined || domains === undefined) return 0;
    let count = domains.size;
    for (const value of this.overlay[i]?.keys() ?? []) if (!domains.has(value)) count += 1;
    if (count < constraint.minDomains) return 0;
    return this.criticalPaths[i]?.min ?? 0;
  }

  /** Applies `changed` appearing (delta 1) on or leaving (-1) `node`, as seen by incoming `pod` (preemption's what-if). */
  update(changed: Pod, pod: Pod, node: Node, delta: number): void {
    if (changed.metadata?.namespace !== pod.metadata?.namespace || !hasAllTopologyKeys(node, this.constraints)) return;
    const required = requiredNodeAffinityOf(pod);
    for (const [i, c] of this.constraints.entries()) {
      if (!c.selector.matches(changed.metadata?.labels) || !nodeIncluded(c, pod, node, required)) continue;
      const value = node.metadata?.labels?.[c.topologyKey] ?? '';
      const count = this.count(i, value) + delta;
      this.overlay[i]?.set(value, count);
      this.criticalPaths[i]?.update(value, count);
    }
    this.#minMatch = [];
  }
}

/** The two smallest domains of `domains`. */
function criticalPathsOf(domains: Domains): CriticalPaths {
  const critical = new CriticalPaths();
  for (const [value, domain] of domains) critical.update(value, domain.pods);
  return critical;
}

/** The PreFilter state for the pod's DoNotSchedule constraints over `nodes` (upstream calPreFilterState), from the cache. */
export function computePreFilterState(
  pod: Pod,
  constraints: readonly SpreadConstraint[],
  nodes: readonly NodeInfo[],
  cache: DomainCountsCache,
  token: object,
): PreFilterState {
  const keys = constraints.map((c) => c.topologyKey);
  const domains = constraints.map((c) => cache.domains(pod, c, keys, nodes, token));
  const selfMatch = constraints.map((c) => (c.selector.matches(pod.metadata?.labels) ? 1 : 0));
  return new PreFilterState(constraints, domains, domains.map(criticalPathsOf), selfMatch);
}

/** Upstream's Filter verdict for one node: undefined when it fits, else the reason and whether it is resolvable. */
export function spreadViolation(state: PreFilterState, node: Node): { reason: string; resolvable: boolean } | undefined {
  const labels = node.metadata?.labels ?? {};
  for (const [i, c] of state.constraints.entries()) {
    const value = labels[c.topologyKey];
    if (value === undefined) return { reason: ERR_REASON_NODE_LABEL_NOT_MATCH, resolvable: false };
    const skew = state.count(i, value) + (state.selfMatch[i] ?? 0) - state.minMatch(i);
    if (skew > c.maxSkew) return { reason: ERR_REASON_CONSTRAINTS_NOT_MATCH, resolvable: true };
  }
  return undefined;
}
