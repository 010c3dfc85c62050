/**
 * NodeResourcesBalancedAllocation (Score): prefers nodes where, with the pod, cpu and
 * memory would be requested in similar fractions of allocatable (score =
 * (1 - standard deviation of the fractions) × 100).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycleState.js';
import { MAX_NODE_SCORE, type EnqueueExtensions, type NodeInfo, type PreScorePlugin, type ScorePlugin } from '../../framework/interface.js';
import { success, type Status } from '../../framework/status.js';
import { cyclePodInfo, requestedWithPod } from './fit.js';

/** The plugin's name. */
export const BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';

const STATE_KEY = 'PreScore' + BALANCED_ALLOCATION;
const RESOURCES = ['cpu', 'memory'];

/** Builds the NodeResourcesBalancedAllocation plugin. */
export function newBalancedAllocation(): PreScorePlugin & ScorePlugin & EnqueueExtensions {
  return {
    name: BALANCED_ALLOCATION,
    preScore(state: CycleState, pod: Pod): Status {
      cyclePodInfo(state, pod, STATE_KEY);
      return success();
    },
    score(state: CycleState, pod: Pod, node: NodeInfo): number {
      const info = cyclePodInfo(state, pod, STATE_KEY);
      let sum = 0;
      let sumOfSquares = 0;
      let count = 0;
      for (const name of RESOURCES) {
        const allocatable = node.allocatable.get(name) ?? 0;
        if (allocatable === 0) continue;
        const fraction = Math.min(1, requestedWithPod(info, node, name) / allocatable);
        sum += fraction;
        sumOfSquares += fraction * fraction;
        count += 1;
      }
      if (count === 0) return 0;
      const mean = sum / count;
      const deviation = Math.sqrt(Math.max(0, sumOfSquares / count - mean * mean));
      return Math.trunc((1 - deviation) * MAX_NODE_SCORE);
    },
    eventsToRegister: () => [
      { resource: 'Pod', action: 'Delete' },
      { resource: 'Node', action: 'Add' },
      { resource: 'Node', action: 'Update' },
    ],
  };
}
