/**
 * Topology spread constraints compiled for one pod (upstream podtopologyspread
 * common.go): the constraints of one `whenUnsatisfiable` action, each with its label
 * selector (merged with the pod's values of `matchLabelKeys`), minDomains (default 1)
 * and node inclusion policies (nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore by
 * default), plus the pod counting and node eligibility rules they share.
 */
import type { Node, Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { LabelSelector, labelSelectorFromObject, labelSelectorFromSet, type Labels } from '../../../api/selectors/labelSelector.js';
import type { PodInfo } from '../../framework/interface.js';
import type { RequiredNodeAffinity } from '../../../api/nodeAffinity.js';
import { hasUntoleratedNoScheduleTaint } from './taints.js';

/** One compiled constraint. */
export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: LabelSelector;
  readonly minDomains: number;
  readonly honorNodeAffinity: boolean;
  readonly honorNodeTaints: boolean;
}

/** The selector AND the pod's own values of `keys` (upstream mergeLabelSetWithSelector); a "nothing" selector stays one. */
function withMatchLabelKeys(selector: LabelSelector, keys: readonly string[] | undefined, podLabels: Labels): LabelSelector {
  if (keys === undefined || keys.length === 0 || selector.matchesNothing) return selector;
  const values: Record<string, string> = {};
  for (const key of keys) {
    const value = podLabels?.[key];
    if (value !== undefined) values[key] = value;
  }
  if (Object.keys(values).length === 0) return selector;
  return LabelSelector.of([...labelSelectorFromSet(values).requirements, ...selector.requirements]);
}

/** The constraints of `action`, compiled; throws when a label selector is malformed. */
export function compileConstraints(
  constraints: readonly TopologySpreadConstraint[],
  action: 'DoNotSchedule' | 'ScheduleAnyway',
  podLabels: Labels,
): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (const c of constraints) {
    if (c.whenUnsatisfiable !== action) continue;
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector: withMatchLabelKeys(labelSelectorFromObject(c.labelSelector), c.matchLabelKeys, podLabels),
      minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorNodeTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
    });
  }
  return out;
}

/** Whether the node counts for `constraint` under its inclusion policies (upstream matchNodeInclusionPolicies). */
export function nodeIncluded(constraint: SpreadConstraint, pod: Pod, node: Node, required: RequiredNodeAffinity): boolean {
  if (constraint.honorNodeAffinity && !required.matches(node)) return false;
  if (constraint.honorNodeTaints && hasUntoleratedNoScheduleTaint(node, pod)) return false;
  return true;
}

/** Whether the node carries every constraint's topology key. */
export function hasAllTopologyKeys(node: Node, constraints: readonly SpreadConstraint[]): boolean {
  const labels = node.metadata?.labels;
  if (labels === undefined) return constraints.length === 0;
  for (const c of constraints) if (labels[c.topologyKey] === undefined) return false;
  return true;
}

/**
 * Pods of `namespace` matching `selector`, skipping terminating pods (upstream
 * countPodsMatchSelector; an empty selector counts nothing).
 */
export function countMatchingPods(pods: readonly PodInfo[], selector: LabelSelector, namespace: string): number {
  if (selector.isEmpty()) return 0;
  let count = 0;
  for (const { pod } of pods) {
    const meta = pod.metadata;
    if (meta?.deletionTimestamp !== undefined || meta?.namespace !== namespace) continue;
    if (selector.matches(meta.labels)) count += 1;
  }
  return count;
}
