/**
 * The taint check of nodeTaintsPolicy: Honor (upstream FindMatchingUntoleratedTaint
 * with the DoNotSchedule filter): does the node have a NoSchedule or NoExecute taint
 * that none of the pod's tolerations tolerates?
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { findUntoleratedTaint } from '../../../api/tolerations.js';

/** Whether `node` has a NoSchedule/NoExecute taint the pod does not tolerate. */
export function hasUntoleratedNoScheduleTaint(node: Node, pod: Pod): boolean {
  return findUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, ['NoSchedule', 'NoExecute']) !== undefined;
}
