/**
 * PodTopologySpread's PreScore state and scores (upstream scoring.go): for each
 * ScheduleAnyway constraint, the matching pods per domain among the domains of the
 * feasible nodes (counted over every eligible node of the cluster; hostname domains
 * are counted per node at Score), weighted by log(domains + 2). Fewer matching pods
 * score better after normalization; nodes missing a topology key score 0.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { StateData } from '../../framework/cycleState.js';
import { MAX_NODE_SCORE, type NodeInfo, type NodeScore } from '../../framework/interface.js';
import { countMatchingPods, hasAllTopologyKeys, type SpreadConstraint } from './constraints.js';
import type { DomainCountsCache } from './domainCounts.js';

/** The well-known hostname label, counted per node instead of per domain. */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** See the module comment. */
export class PreScoreState implements StateData {
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    /** Feasible nodes lacking some topology key (scored 0). */
    readonly ignoredNodes: ReadonlySet<string>,
    /** Per constraint: matching pods by domain (domains of feasible nodes only; empty for hostname). */
    readonly countsByConstraint: readonly Map<string, number>[],
    readonly weights: readonly number[],
  ) {}

  /** Shared: unchanged after PreScore. */
  clone(): this {
    return this;
  }

  /** The raw score of a feasible node (upstream Score). */
  score(pod: Pod, info: NodeInfo): number {
    if (this.ignoredNodes.has(info.name)) return 0;
    const labels = info.node.metadata?.labels ?? {};
    const namespace = pod.metadata?.namespace ?? '';
    let score = 0;
    for (const [i, c] of this.constraints.entries()) {
      const value = labels[c.topologyKey];
      if (value === undefined) continue;
      const count = c.topologyKey === HOSTNAME_LABEL ? countMatchingPods(info.pods, c.selector, namespace) : (this.countsByConstraint[i]?.get(value) ?? 0);
      score += count * (this.weights[i] ?? 0) + (c.maxSkew - 1);
    }
    return Math.round(score);
  }

  /** Upstream NormalizeScore: ignored nodes 0, otherwise MAX * (max + min - score) / max (all MAX when max is 0). */
  normalize(scores: NodeScore[]): void {
    let min = Number.MAX_SAFE_INTEGER;
    let max = 0;
    for (const s of scores) {
      if (this.ignoredNodes.has(s.name)) continue;
      if (s.score < min) min = s.score;
      if (s.score > max) max = s.score;
    }
    for (const s of scores) {
      if (this.ignoredNodes.has(s.name)) s.score = 0;
      else if (max === 0) s.score = MAX_NODE_SCORE;
      else s.score = Math.trunc((MAX_NODE_SCORE * (max + min - s.score)) / max);
    }
  }
}

/**
 * Builds the PreScore state for `constraints` over the feasible nodes and the whole
 * cluster (counts come from the cache); `requireAllTopologies` is false only for
 * system default constraints (a node without a zone label still spreads by hostname).
 */
export function computePreScoreState(
  pod: Pod,
  constraints: readonly SpreadConstraint[],
  feasible: readonly NodeInfo[],
  allNodes: readonly NodeInfo[],
  requireAllTopologies: boolean,
  cache: DomainCountsCache,
  token: object,
): PreScoreState {
  const ignored = new Set<string>();
  if (requireAllTopologies) for (const info of feasible) if (!hasAllTopologyKeys(info.node, constraints)) ignored.add(info.name);
  const keys = requireAllTopologies ? constraints.map((c) => c.topologyKey) : undefined;
  const counts = constraints.map((c) => {
    const byValue = new Map<string, number>();
    if (c.topologyKey === HOSTNAME_LABEL) return byValue;
    const domains = cache.domains(pod, c, keys, allNodes, token);
    for (const info of feasible) {
      if (ignored.has(info.name)) continue;
      const value = info.node.metadata?.labels?.[c.topologyKey] ?? '';
      if (!byValue.has(value)) byValue.set(value, domains.get(value)?.pods ?? 0);
    }
    return byValue;
  });
  const weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME_LABEL ? feasible.length - ignored.size : (counts[i]?.size ?? 0)) + 2));
  return new PreScoreState(constraints, ignored, counts, weights);
}
