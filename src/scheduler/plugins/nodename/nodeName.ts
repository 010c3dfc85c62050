/**
 * NodeName (Filter): a pod naming a node in spec.nodeName fits only that node.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycleState.js';
import type { EnqueueExtensions, FilterPlugin, NodeInfo } from '../../framework/interface.js';
import { success, unresolvable, type Status } from '../../framework/status.js';

/** The plugin's name. */
export const NODE_NAME = 'NodeName';

/** Upstream's reason for another node. */
export const ERR_NODE_NAME = "node(s) didn't match the requested node name";

/** Builds the NodeName plugin. */
export function newNodeName(): FilterPlugin & EnqueueExtensions {
  return {
    name: NODE_NAME,
    filter(_state: CycleState, pod: Pod, node: NodeInfo): Status {
      const wanted = pod.spec?.nodeName;
      return !wanted || wanted === node.name ? success() : unresolvable(ERR_NODE_NAME);
    },
    eventsToRegister: () => [{ resource: 'Node', action: 'Add' }],
  };
}
