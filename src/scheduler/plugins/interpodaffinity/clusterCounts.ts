/**
 * InterPodAffinity's cluster-wide counts kept across cycles (see
 * nodecache/perNodeCache.ts), one set per pod shape: existing pods' required
 * anti-affinity against pods of one namespace and label set; existing pods matching one
 * set of incoming required terms; and the preferred-term scores of one incoming shape.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Labels } from '../../../api/selectors/labelSelector.js';
import type { NodeInfo } from '../../framework/interface.js';
import { BoundedCache, PerNodeCache } from '../nodecache/perNodeCache.js';
import { affinityTermsOf, podMatchesAllTerms, termMatchesPod, type AffinityTerm } from './affinityTerms.js';
import { scoreExistingPod, TopologyScores, type ScoringInput } from './scoring.js';
import { TopologyCounts } from './topologyCounts.js';

/** Topology pairs a node adds, each once per match. */
type Pairs = readonly (readonly [key: string, value: string])[];

function pairOf(node: Node, key: string, out: (readonly [string, string])[]): void {
  const value = node.metadata?.labels?.[key];
  if (value !== undefined) out.push([key, value]);
}

function applyPairs(counts: TopologyCounts, pairs: Pairs, sign: 1 | -1): void {
  for (const [key, value] of pairs) counts.add(key, value, sign);
}

/** A stable text for terms: what they match and where. */
function termsKey(terms: readonly AffinityTerm[]): unknown[] {
  return terms.map((t) => [
    [...t.namespaces].sort(),
    t.namespaceSelector.matchesNothing,
    t.namespaceSelector.toString(),
    t.selector.matchesNothing,
    t.selector.toString(),
    t.topologyKey,
    'weight' in t ? t.weight : null,
  ]);
}

function labelsKey(labels: Labels): unknown[] {
  return Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Existing pods' required anti-affinity terms covering pods shaped like `pod`, by topology pair. */
class ExistingAntiAffinity {
  readonly counts = new TopologyCounts();
  readonly cache: PerNodeCache<Pairs>;

  constructor(pod: Pod, namespaceLabels: Labels) {
    this.cache = new PerNodeCache<Pairs>({
      compute: (info: NodeInfo): Pairs => {
        const pairs: (readonly [string, string])[] = [];
        for (const existing of info.podsWithRequiredAntiAffinity) {
          for (const term of affinityTermsOf(existing.pod).requiredAntiAffinity) {
            if (termMatchesPod(term, pod, namespaceLabels)) pairOf(info.node, term.topologyKey, pairs);
          }
        }
        return pairs;
      },
      apply: (pairs, sign) => applyPairs(this.counts, pairs, sign),
    });
  }
}

/** Existing pods matching a set of incoming required terms, by topology pair. */
class IncomingTerms {
  readonly affinity = new TopologyCounts();
  readonly antiAffinity = new TopologyCounts();
  readonly cache: PerNodeCache<{ affinity: Pairs; antiAffinity: Pairs }>;

  constructor(affinityTerms: readonly AffinityTerm[], antiAffinityTerms: readonly AffinityTerm[]) {
    this.cache = new PerNodeCache({
      compute: (info: NodeInfo) => {
        const affinity: (readonly [string, string])[] = [];
        const antiAffinity: (readonly [string, string])[] = [];
        for (const { pod } of info.pods) {
          if (affinityTerms.length > 0 && podMatchesAllTerms(affinityTerms, pod, undefined)) {
            for (const term of affinityTerms) pairOf(info.node, term.topologyKey, affinity);
          }
          for (const term of antiAffinityTerms) if (termMatchesPod(term, pod, undefined)) pairOf(info.node, term.topologyKey, antiAffinity);
        }
        return { affinity, antiAffinity };
      },
      apply: (shares, sign) => {
        applyPairs(this.affinity, shares.affinity, sign);
        applyPairs(this.antiAffinity, shares.antiAffinity, sign);
      },
    });
  }
}

/** Preferred-term scores for one incoming shape, by topology pair. */
class Scores {
  readonly scores = new TopologyScores();
  /** Nodes whose pods added at least one pair (upstream skips scoring when none did). */
  contributors = 0;
  readonly cache: PerNodeCache<TopologyScores>;

  constructor(input: ScoringInput, allPods: boolean) {
    this.cache = new PerNodeCache<TopologyScores>({
      compute: (info: NodeInfo) => {
        const share = new TopologyScores();
        for (const existing of allPods ? info.pods : info.podsWithAffinity) scoreExistingPod(share, input, existing, info.node);
        return share;
      },
      apply: (share, sign) => {
        if (share.byKey.size === 0) return;
        this.contributors += sign;
        this.scores.merge(share, sign);
      },
    });
  }
}

/**
 * Pod shapes kept per kind of count. Each holds one entry per node, and the list the
 * caches sync over is every node (a stable array the change scan handles cheaply; the
 * lists of nodes with affinity pods are rebuilt whenever such a pod comes or goes).
 */
const CAPACITY = 16;

/** The caches of one plugin instance. */
export class ClusterCounts {
  readonly #existing = new BoundedCache<ExistingAntiAffinity>(CAPACITY);
  readonly #incoming = new BoundedCache<IncomingTerms>(CAPACITY);
  readonly #scores = new BoundedCache<Scores>(CAPACITY);

  /** Counts of existing required anti-affinity covering `pod`, over `nodes`. */
  existingAntiAffinity(pod: Pod, namespaceLabels: Labels, nodes: readonly NodeInfo[], token: object): TopologyCounts {
    const key = JSON.stringify([pod.metadata?.namespace ?? '', labelsKey(pod.metadata?.labels), labelsKey(namespaceLabels)]);
    const entry = this.#existing.get(key, () => new ExistingAntiAffinity(pod, namespaceLabels));
    entry.cache.sync(nodes, token);
    return entry.counts;
  }

  /** Counts of existing pods matching the incoming required terms, over every node, in the cycle `token` (its CycleState). */
  incoming(affinityTerms: readonly AffinityTerm[], antiAffinityTerms: readonly AffinityTerm[], nodes: readonly NodeInfo[], token: object): IncomingTerms {
    const key = JSON.stringify([termsKey(affinityTerms), termsKey(antiAffinityTerms)]);
    const entry = this.#incoming.get(key, () => new IncomingTerms(affinityTerms, antiAffinityTerms));
    entry.cache.sync(nodes, token);
    return entry;
  }

  /** Preferred-term scores for `input` over `nodes` (every pod when `allPods`, else only pods with affinity). */
  scores(input: ScoringInput, allPods: boolean, nodes: readonly NodeInfo[], token: object): Scores {
    const key = JSON.stringify([
      input.pod.metadata?.namespace ?? '',
      labelsKey(input.pod.metadata?.labels),
      labelsKey(input.namespaceLabels),
      termsKey(input.preferredAffinity),
      termsKey(input.preferredAntiAffinity),
      input.hardPodAffinityWeight,
      allPods,
    ]);
    const entry = this.#scores.get(key, () => new Scores(input, allPods));
    entry.cache.sync(nodes, token);
    return entry;
  }
}
