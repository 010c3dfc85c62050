/**
 * A pod's pod-affinity and anti-affinity terms compiled for matching (upstream
 * framework.AffinityTerm): the namespaces a term covers (its own list, or the pod's
 * namespace when it names neither namespaces nor a namespaceSelector), its
 * namespaceSelector (absent: matches no namespace; empty: every namespace), its
 * label selector (absent: matches no pod) and its topology key. Compiled once per
 * pod object: pods from the scheduler cache are never mutated.
 */
import type { Pod, PodAffinityTerm, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { LabelSelector, labelSelectorFromObject, type Labels } from '../../../api/selectors/labelSelector.js';
import type { NamespaceSource } from '../../framework/interface.js';

/** One compiled PodAffinityTerm. */
export interface AffinityTerm {
  readonly namespaces: ReadonlySet<string>;
  readonly namespaceSelector: LabelSelector;
  readonly selector: LabelSelector;
  readonly topologyKey: string;
}

/** A compiled preferred term with its weight. */
export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

/** Every compiled term of one pod; `parseError` names the first term that failed (that term is left out). */
export interface PodAffinityTerms {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
  readonly parseError?: string;
}

/** Whether `pod` (whose namespace has `namespaceLabels`) is covered by `term` (upstream AffinityTerm.Matches). */
export function termMatchesPod(term: AffinityTerm, pod: Pod, namespaceLabels: Labels): boolean {
  const namespace = pod.metadata?.namespace ?? '';
  if (!term.namespaces.has(namespace) && !term.namespaceSelector.matches(namespaceLabels)) return false;
  return term.selector.matches(pod.metadata?.labels);
}

/** Whether `pod` is covered by every term (false for no terms). */
export function podMatchesAllTerms(terms: readonly AffinityTerm[], pod: Pod, namespaceLabels: Labels): boolean {
  if (terms.length === 0) return false;
  for (const term of terms) if (!termMatchesPod(term, pod, namespaceLabels)) return false;
  return true;
}

function compileTerm(pod: Pod, term: PodAffinityTerm): AffinityTerm {
  const namespaces = term.namespaces ?? [];
  const ownNamespace = namespaces.length === 0 && term.namespaceSelector === undefined;
  return {
    namespaces: new Set(ownNamespace ? [pod.metadata?.namespace ?? ''] : namespaces),
    namespaceSelector: labelSelectorFromObject(term.namespaceSelector),
    selector: labelSelectorFromObject(term.labelSelector),
    topologyKey: term.topologyKey,
  };
}

class TermCompiler {
  parseError: string | undefined;
  constructor(private readonly pod: Pod) {}

  required(terms: readonly PodAffinityTerm[] | undefined): AffinityTerm[] {
    const out: AffinityTerm[] = [];
    for (const term of terms ?? []) {
      const compiled = this.#attempt(() => compileTerm(this.pod, term));
      if (compiled !== undefined) out.push(compiled);
    }
    return out;
  }

  preferred(terms: readonly WeightedPodAffinityTerm[] | undefined): WeightedAffinityTerm[] {
    const out: WeightedAffinityTerm[] = [];
    for (const term of terms ?? []) {
      const compiled = this.#attempt(() => compileTerm(this.pod, term.podAffinityTerm));
      if (compiled !== undefined) out.push({ ...compiled, weight: term.weight });
    }
    return out;
  }

  #attempt(compile: () => AffinityTerm): AffinityTerm | undefined {
    try {
      return compile();
    } catch (err) {
      this.parseError ??= err instanceof Error ? err.message : String(err);
      return undefined;
    }
  }
}

const NO_TERMS: PodAffinityTerms = Object.freeze({ requiredAffinity: [], requiredAntiAffinity: [], preferredAffinity: [], preferredAntiAffinity: [] });
const termsByPod = new WeakMap<Pod, PodAffinityTerms>();

/** The pod's compiled terms (cached per pod object). */
export function affinityTermsOf(pod: Pod): PodAffinityTerms {
  const affinity = pod.spec?.affinity;
  if (affinity?.podAffinity === undefined && affinity?.podAntiAffinity === undefined) return NO_TERMS;
  let terms = termsByPod.get(pod);
  if (terms === undefined) {
    const compiler = new TermCompiler(pod);
    terms = {
      requiredAffinity: compiler.required(affinity.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
      requiredAntiAffinity: compiler.required(affinity.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
      preferredAffinity: compiler.preferred(affinity.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
      preferredAntiAffinity: compiler.preferred(affinity.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
      ...(compiler.parseError !== undefined ? { parseError: compiler.parseError } : {}),
    };
    termsByPod.set(pod, terms);
  }
  return terms;
}

/** The same selector-less "nothing" every merged term carries. */
const NO_NAMESPACES = LabelSelector.nothing();

/**
 * The incoming pod's terms with each non-empty namespaceSelector resolved to the
 * names of the namespaces it selects now (upstream mergeAffinityTermNamespacesIfNotEmpty),
 * so matching existing pods needs no namespace labels. An empty selector (every
 * namespace) is kept as is.
 */
export function withResolvedNamespaces<T extends AffinityTerm>(terms: readonly T[], namespaces: NamespaceSource | undefined): T[] {
  return terms.map((term) => {
    if (term.namespaceSelector.isEmpty() || term.namespaceSelector.matchesNothing) return term;
    const names = new Set(term.namespaces);
    for (const [name, labels] of namespaces?.namespaces() ?? []) if (term.namespaceSelector.matches(labels)) names.add(name);
    return { ...term, namespaces: names, namespaceSelector: NO_NAMESPACES };
  });
}
