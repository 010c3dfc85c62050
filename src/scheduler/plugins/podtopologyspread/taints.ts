/**
 * The taint check of nodeTaintsPolicy: Honor (upstream FindMatchingUntoleratedTaint
 * with the DoNotSchedule filter): does the node have a NoSchedule or NoExecute taint
 * that none of the pod's tolerations tolerates?
 */
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';

/** Upstream Toleration.ToleratesTaint. */
function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect !== undefined && toleration.effect !== '' && toleration.effect !== taint.effect) return false;
  if (toleration.key !== undefined && toleration.key !== '' && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? 'Equal') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** Whether `node` has a NoSchedule/NoExecute taint the pod does not tolerate. */
export function hasUntoleratedNoScheduleTaint(node: Node, pod: Pod): boolean {
  const tolerations = pod.spec?.tolerations ?? [];
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerations.some((t) => tolerates(t, taint))) return true;
  }
  return false;
}
