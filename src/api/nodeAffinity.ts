/**
 * Node selector terms compiled once and matched against many nodes (upstream
 * component-helpers nodeaffinity): matchExpressions over node labels (In, NotIn,
 * Exists, DoesNotExist, Gt, Lt) ANDed with matchFields over `metadata.name` (In,
 * NotIn with one value). A term that fails to parse, or has neither list, matches
 * no node; the terms of a NodeSelector are ORed.
 */
import type { Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod, PreferredSchedulingTerm } from 'kubernetes-types/core/v1.js';
import { LabelSelector, labelSelectorFromSet, type LabelOperator, type LabelRequirement } from './selectors/labelSelector.js';
import { newLabelRequirement } from './selectors/labelRequirement.js';

/** The only node field a matchFields requirement may name. */
export const NODE_NAME_FIELD = 'metadata.name';

const LABEL_OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
  Gt: 'gt',
  Lt: 'lt',
};

/** One matchFields requirement: the node's field value must (or must not) equal `value`. */
interface FieldRequirement {
  readonly key: string;
  readonly equal: boolean;
  readonly value: string;
}

/** A compiled NodeSelectorTerm; `parseError` set means it matches nothing. */
export interface CompiledTerm {
  readonly labels?: LabelSelector;
  readonly fields?: readonly FieldRequirement[];
  readonly parseError?: string;
}

function compileExpressions(expressions: readonly NodeSelectorRequirement[]): LabelSelector {
  const requirements: LabelRequirement[] = [];
  for (const expr of expressions) {
    const operator = LABEL_OPERATORS[expr.operator];
    if (operator === undefined) throw new Error(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    requirements.push(newLabelRequirement(expr.key, operator, expr.values));
  }
  return LabelSelector.of(requirements);
}

function compileFields(requirements: readonly NodeSelectorRequirement[]): FieldRequirement[] {
  return requirements.map((req) => {
    if (req.operator !== 'In' && req.operator !== 'NotIn') throw new Error(`Unsupported value: "${req.operator}"`);
    const values = req.values ?? [];
    if (values.length !== 1) throw new Error('must have one element');
    return { key: req.key, equal: req.operator === 'In', value: values[0] ?? '' };
  });
}

/** Compiles one term; never throws (a bad term is recorded as matching nothing). */
export function compileTerm(term: NodeSelectorTerm): CompiledTerm {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  try {
    return {
      ...(expressions.length > 0 ? { labels: compileExpressions(expressions) } : {}),
      ...(fields.length > 0 ? { fields: compileFields(fields) } : {}),
    };
  } catch (err) {
    return { parseError: err instanceof Error ? err.message : String(err) };
  }
}

function fieldValue(node: Node, key: string): string {
  return key === NODE_NAME_FIELD ? (node.metadata?.name ?? '') : '';
}

/** Whether `node` satisfies the compiled term (empty and unparsable terms match nothing). */
export function termMatches(term: CompiledTerm, node: Node): boolean {
  if (term.parseError !== undefined || (term.labels === undefined && term.fields === undefined)) return false;
  if (term.labels !== undefined && !term.labels.matches(node.metadata?.labels)) return false;
  if (term.fields !== undefined) {
    for (const req of term.fields) {
      if ((fieldValue(node, req.key) === req.value) !== req.equal) return false;
    }
  }
  return true;
}

/** A compiled NodeSelector: its terms ORed (no terms: matches no node). */
export class CompiledNodeSelector {
  readonly #terms: readonly CompiledTerm[];

  constructor(selector: NodeSelector) {
    this.#terms = (selector.nodeSelectorTerms ?? []).map(compileTerm);
  }

  /** Whether any term matches `node`. */
  matches(node: Node): boolean {
    for (const term of this.#terms) if (termMatches(term, node)) return true;
    return false;
  }
}

/**
 * A pod's hard node constraints (upstream RequiredNodeAffinity): `spec.nodeSelector`
 * AND the required node affinity terms. `matches` holds for every node when the pod
 * has neither.
 */
export class RequiredNodeAffinity {
  readonly #nodeSelector: LabelSelector | undefined;
  readonly #affinity: CompiledNodeSelector | undefined;

  constructor(pod: Pod) {
    const nodeSelector = pod.spec?.nodeSelector;
    this.#nodeSelector = nodeSelector !== undefined && Object.keys(nodeSelector).length > 0 ? labelSelectorFromSet(nodeSelector) : undefined;
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    this.#affinity = required !== undefined ? new CompiledNodeSelector(required) : undefined;
  }

  /** Whether `node` satisfies both the node selector and the required affinity. */
  matches(node: Node): boolean {
    if (this.#nodeSelector !== undefined && !this.#nodeSelector.matches(node.metadata?.labels)) return false;
    return this.#affinity === undefined || this.#affinity.matches(node);
  }
}

const requiredByPod = new WeakMap<Pod, RequiredNodeAffinity>();

/** The pod's RequiredNodeAffinity, compiled once per pod object (pods from the cache are never mutated). */
export function requiredNodeAffinityOf(pod: Pod): RequiredNodeAffinity {
  let compiled = requiredByPod.get(pod);
  if (compiled === undefined) {
    compiled = new RequiredNodeAffinity(pod);
    requiredByPod.set(pod, compiled);
  }
  return compiled;
}

/** Weighted preferred terms (upstream PreferredSchedulingTerms); terms of weight 0 are dropped. */
export class PreferredTerms {
  private constructor(private readonly terms: readonly { readonly term: CompiledTerm; readonly weight: number }[]) {}

  /** Compiles the terms; throws an Error naming the first bad term (upstream reports parse errors here). */
  static compile(terms: readonly PreferredSchedulingTerm[]): PreferredTerms {
    const compiled: { term: CompiledTerm; weight: number }[] = [];
    for (const [i, preferred] of terms.entries()) {
      if (preferred.weight === 0) continue;
      const term = compileTerm(preferred.preference);
      if (term.parseError !== undefined) throw new Error(`preferredDuringSchedulingIgnoredDuringExecution[${i}]: ${term.parseError}`);
      compiled.push({ term, weight: preferred.weight });
    }
    return new PreferredTerms(compiled);
  }

  /** The sum of the weights of the terms `node` matches. */
  score(node: Node): number {
    let sum = 0;
    for (const { term, weight } of this.terms) if (termMatches(term, node)) sum += weight;
    return sum;
  }
}
