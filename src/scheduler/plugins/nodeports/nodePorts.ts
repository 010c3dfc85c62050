/**
 * NodePorts: a pod asking for host ports fits only nodes where none of them is taken
 * (same protocol and port on the same IP, or on 0.0.0.0 either side).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState, StateData } from '../../framework/cycleState.js';
import type { EnqueueExtensions, FilterPlugin, HostPortUse, NodeInfo, PreFilterOutcome, PreFilterPlugin } from '../../framework/interface.js';
import { podHostPorts, portsConflict } from '../../framework/podInfo.js';
import { skip, success, unschedulable, type Status } from '../../framework/status.js';

/** The plugin's name. */
export const NODE_PORTS = 'NodePorts';

/** Upstream's reason for a port conflict. */
export const ERR_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

class WantedPorts implements StateData {
  constructor(readonly ports: readonly HostPortUse[]) {}
  clone(): WantedPorts {
    return this;
  }
}

const STATE_KEY = 'PreFilter' + NODE_PORTS;

/** Builds the NodePorts plugin. */
export function newNodePorts(): PreFilterPlugin & FilterPlugin & EnqueueExtensions {
  return {
    name: NODE_PORTS,
    preFilter(state: CycleState, pod: Pod): PreFilterOutcome {
      const ports = podHostPorts(pod);
      if (ports.length === 0) return { status: skip() };
      state.write(STATE_KEY, new WantedPorts(ports));
      return { status: success() };
    },
    filter(state: CycleState, _pod: Pod, node: NodeInfo): Status {
      const wanted = state.read<WantedPorts>(STATE_KEY)?.ports ?? [];
      const clash = wanted.some((w) => node.usedPorts.some((used) => portsConflict(w, used)));
      return clash ? unschedulable(ERR_NODE_PORTS) : success();
    },
    eventsToRegister: () => [
      { resource: 'Pod', action: 'Delete' },
      { resource: 'Node', action: 'Add' },
    ],
  };
}
