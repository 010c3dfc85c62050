/**
 * Matching pods per topology domain for one constraint shape, kept across cycles
 * (see nodecache/perNodeCache.ts): a node counts for the constraint when it carries
 * the required topology keys and passes the inclusion policies; its domain then
 * exists (even with 0 matching pods) and gains the node's matching pods.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../../framework/interface.js';
import { BoundedCache, PerNodeCache } from '../nodecache/perNodeCache.js';
import { requiredNodeAffinityOf } from '../../../api/nodeAffinity.js';
import { countMatchingPods, nodeIncluded, type SpreadConstraint } from './constraints.js';

/** One domain: how many eligible nodes it has and how many matching pods they hold. */
export interface Domain {
  nodes: number;
  pods: number;
}

/** Domains by topology value (only domains with at least one eligible node). */
export type Domains = ReadonlyMap<string, Readonly<Domain>>;

/** A node's share: its domain and matching pods, or undefined when the node is not eligible. */
type Share = { readonly value: string; readonly pods: number } | undefined;

/** The cached domain counts of one constraint shape. */
export class DomainCounts {
  readonly domains = new Map<string, Domain>();
  readonly #cache: PerNodeCache<Share>;

  constructor(pod: Pod, constraint: SpreadConstraint, requiredKeys: readonly string[] | undefined) {
    const required = requiredNodeAffinityOf(pod);
    const namespace = pod.metadata?.namespace ?? '';
    this.#cache = new PerNodeCache<Share>({
      compute: (info: NodeInfo): Share => {
        const labels = info.node.metadata?.labels ?? {};
        if (requiredKeys !== undefined) for (const key of requiredKeys) if (labels[key] === undefined) return undefined;
        if (!nodeIncluded(constraint, pod, info.node, required)) return undefined;
        return { value: labels[constraint.topologyKey] ?? '', pods: countMatchingPods(info.pods, constraint.selector, namespace) };
      },
      apply: (share: Share, sign: 1 | -1): void => {
        if (share === undefined) return;
        let domain = this.domains.get(share.value);
        if (domain === undefined) {
          domain = { nodes: 0, pods: 0 };
          this.domains.set(share.value, domain);
        }
        domain.nodes += sign;
        domain.pods += sign * share.pods;
        if (domain.nodes === 0) this.domains.delete(share.value);
      },
    });
  }

  /** Brings the counts up to date with `nodes` (in the cycle `token`) and returns the domains. */
  sync(nodes: readonly NodeInfo[], token: object | undefined): Domains {
    this.#cache.sync(nodes, token);
    return this.domains;
  }
}

/**
 * Everything a constraint's counts depend on besides the nodes: the pod's namespace,
 * the selector, the keys nodes must carry, and the pod's node affinity and tolerations
 * when the inclusion policies honour them.
 */
function shapeKey(pod: Pod, c: SpreadConstraint, requiredKeys: readonly string[] | undefined): string {
  const spec = pod.spec;
  return JSON.stringify([
    pod.metadata?.namespace ?? '',
    c.selector.matchesNothing,
    c.selector.toString(),
    c.topologyKey,
    requiredKeys ?? null,
    c.honorNodeAffinity ? [spec?.nodeSelector ?? null, spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null] : null,
    c.honorNodeTaints ? (spec?.tolerations ?? null) : null,
  ]);
}

/** The domain counts of recently used constraint shapes. */
export class DomainCountsCache {
  readonly #byShape = new BoundedCache<DomainCounts>(32);

  /** The up-to-date domains of `constraint` for `pod` over `nodes`, in the cycle `token` (its CycleState). */
  domains(pod: Pod, constraint: SpreadConstraint, requiredKeys: readonly string[] | undefined, nodes: readonly NodeInfo[], token?: object): Domains {
    return this.#byShape.get(shapeKey(pod, constraint, requiredKeys), () => new DomainCounts(pod, constraint, requiredKeys)).sync(nodes, token);
  }
}
