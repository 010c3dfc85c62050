/**
 * NodeUnschedulable (Filter): a cordoned node (spec.unschedulable) takes only pods
 * tolerating the node.kubernetes.io/unschedulable:NoSchedule taint.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycleState.js';
import type { EnqueueExtensions, FilterPlugin, NodeInfo } from '../../framework/interface.js';
import { success, unresolvable, type Status } from '../../framework/status.js';
import { tolerated } from '../../../api/tolerations.js';

/** The plugin's name. */
export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';

/** Upstream's reason for a cordoned node. */
export const ERR_NODE_UNSCHEDULABLE = 'node(s) were unschedulable';

const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** Builds the NodeUnschedulable plugin. */
export function newNodeUnschedulable(): FilterPlugin & EnqueueExtensions {
  return {
    name: NODE_UNSCHEDULABLE,
    filter(_state: CycleState, pod: Pod, node: NodeInfo): Status {
      if (node.node.spec?.unschedulable !== true) return success();
      return tolerated(pod.spec?.tolerations, UNSCHEDULABLE_TAINT) ? success() : unresolvable(ERR_NODE_UNSCHEDULABLE);
    },
    eventsToRegister: () => [
      { resource: 'Node', action: 'Add' },
      { resource: 'Node', action: 'Update' },
    ],
  };
}
