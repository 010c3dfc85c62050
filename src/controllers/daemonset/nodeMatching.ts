/**
 * Whether a node satisfies a pod's placement rules as the DaemonSet controller checks
 * them (upstream `GetRequiredNodeAffinity(pod).Match(node)` and
 * `FindMatchingUntoleratedTaint`): the nodeSelector, the required node affinity terms
 * (any term; within a term, every label expression and field expression), and the
 * node's NoSchedule/NoExecute taints against the pod's tolerations.
 */
import type { NodeSelectorRequirement, NodeSelectorTerm, PodSpec, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { NodeObject } from './daemonSetKind.js';

/** The node fields a matchFields expression may name. */
const NODE_NAME_FIELD = 'metadata.name';

function requirementMatches(requirement: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0] ?? '')) return false;
      const have = BigInt(value);
      const bound = BigInt(values[0] ?? '0');
      return requirement.operator === 'Gt' ? have > bound : have < bound;
    }
    default:
      return false;
  }
}

/** True when `node` satisfies `term` (a term with no expressions matches nothing). */
export function termMatches(term: NodeSelectorTerm, node: NodeObject): boolean {
  const labels = node.metadata.labels ?? {};
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  return (
    expressions.every((req) => requirementMatches(req, labels[req.key])) &&
    fields.every((req) => req.key === NODE_NAME_FIELD && (req.operator === 'In' || req.operator === 'NotIn') && requirementMatches(req, node.metadata.name))
  );
}

/** True when `node` satisfies the nodeSelector and required node affinity of `spec`. */
export function nodeSatisfiesAffinity(spec: PodSpec, node: NodeObject): boolean {
  const labels = node.metadata.labels ?? {};
  if (!Object.entries(spec.nodeSelector ?? {}).every(([key, value]) => labels[key] === value)) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required === undefined) return true;
  return required.nodeSelectorTerms.some((term) => termMatches(term, node));
}

/** Upstream `Toleration.ToleratesTaint`. */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (!toleration.key && toleration.operator !== 'Exists') return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/** True when some taint of `taints` whose effect passes `effects` is tolerated by none of `tolerations`. */
export function hasUntoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[], effects: readonly string[]): boolean {
  return taints.some((taint) => effects.includes(taint.effect) && !tolerations.some((toleration) => tolerates(toleration, taint)));
}
