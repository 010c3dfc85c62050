/**
 * The default-scheduler profile: upstream's default plugins that k8ts has, in
 * upstream's order, with upstream's score weights.
 */
import type { Profile } from './framework/profile.js';
import { newDefaultBinder } from './plugins/defaultbinder/defaultBinder.js';
import { newDefaultPreemption } from './plugins/defaultpreemption/defaultPreemption.js';
import { newImageLocality } from './plugins/imagelocality/imageLocality.js';
import { newInterPodAffinity } from './plugins/interpodaffinity/interPodAffinity.js';
import { newNodeAffinity } from './plugins/nodeaffinity/nodeAffinity.js';
import { newNodeName } from './plugins/nodename/nodeName.js';
import { newNodePorts } from './plugins/nodeports/nodePorts.js';
import { newBalancedAllocation } from './plugins/noderesources/balancedAllocation.js';
import { newNodeResourcesFit } from './plugins/noderesources/fit.js';
import { newNodeUnschedulable } from './plugins/nodeunschedulable/nodeUnschedulable.js';
import { newPodTopologySpread } from './plugins/podtopologyspread/podTopologySpread.js';
import { newPrioritySort } from './plugins/queuesort/prioritySort.js';
import { newTaintToleration } from './plugins/tainttoleration/taintToleration.js';

/** The scheduler name pods get by default. */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** See the module comment. */
export const DEFAULT_PROFILE: Profile = {
  schedulerName: DEFAULT_SCHEDULER_NAME,
  plugins: [
    { factory: newPrioritySort },
    { factory: newNodeUnschedulable },
    { factory: newNodeName },
    { factory: newTaintToleration, scoreWeight: 3 },
    { factory: (handle) => newNodeAffinity(handle), scoreWeight: 2 },
    { factory: newNodePorts },
    { factory: () => newNodeResourcesFit(), scoreWeight: 1 },
    { factory: (handle) => newPodTopologySpread(handle), scoreWeight: 2 },
    { factory: (handle) => newInterPodAffinity(handle), scoreWeight: 2 },
    { factory: newDefaultPreemption },
    { factory: newBalancedAllocation, scoreWeight: 1 },
    { factory: newImageLocality, scoreWeight: 1 },
    { factory: newDefaultBinder },
  ],
};
