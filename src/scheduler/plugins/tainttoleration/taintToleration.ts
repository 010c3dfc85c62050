/**
 * TaintToleration: Filter rejects a node with a NoSchedule or NoExecute taint the pod
 * does not tolerate (naming the first one, as upstream); Score prefers nodes with
 * fewer untolerated PreferNoSchedule taints.
 */
import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';
import type { CycleState, StateData } from '../../framework/cycleState.js';
import { MAX_NODE_SCORE, type EnqueueExtensions, type FilterPlugin, type NodeInfo, type NodeScore, type PreScorePlugin, type ScorePlugin } from '../../framework/interface.js';
import { success, unresolvable, type Status } from '../../framework/status.js';
import { tolerated } from '../../../api/tolerations.js';

/** The plugin's name. */
export const TAINT_TOLERATION = 'TaintToleration';

/** Upstream's reason for an untolerated taint. */
export function untoleratedTaintReason(key: string, value: string | undefined): string {
  return `node(s) had untolerated taint {${key}: ${value ?? ''}}`;
}

class PreferTolerations implements StateData {
  constructor(readonly tolerations: readonly Toleration[]) {}
  clone(): PreferTolerations {
    return this;
  }
}

const STATE_KEY = 'PreScore' + TAINT_TOLERATION;

/** Builds the TaintToleration plugin. */
export function newTaintToleration(): FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions {
  return {
    name: TAINT_TOLERATION,
    filter(_state: CycleState, pod: Pod, node: NodeInfo): Status {
      for (const taint of node.node.spec?.taints ?? []) {
        if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
        if (!tolerated(pod.spec?.tolerations, taint)) return unresolvable(untoleratedTaintReason(taint.key, taint.value));
      }
      return success();
    },
    preScore(state: CycleState, pod: Pod): Status {
      const prefer = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
      state.write(STATE_KEY, new PreferTolerations(prefer));
      return success();
    },
    score(state: CycleState, _pod: Pod, node: NodeInfo): number {
      const tolerations = state.read<PreferTolerations>(STATE_KEY)?.tolerations ?? [];
      let count = 0;
      for (const taint of node.node.spec?.taints ?? []) {
        if (taint.effect === 'PreferNoSchedule' && !tolerated(tolerations, taint)) count += 1;
      }
      return count;
    },
    normalizeScores(_state: CycleState, _pod: Pod, scores: NodeScore[]): void {
      const max = Math.max(0, ...scores.map((s) => s.score));
      for (const s of scores) s.score = max === 0 ? MAX_NODE_SCORE : MAX_NODE_SCORE - Math.trunc((s.score * MAX_NODE_SCORE) / max);
    },
    eventsToRegister: () => [
      { resource: 'Node', action: 'Add' },
      { resource: 'Node', action: 'Update' },
    ],
  };
}
