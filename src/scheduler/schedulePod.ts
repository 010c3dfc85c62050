/**
 * One scheduling decision (upstream schedulePod): PreFilter, then Filter over the
 * nodes starting where the previous cycle stopped until enough feasible nodes are
 * found (upstream's percentageOfNodesToScore), then PreScore and Score, and the best
 * node (ties broken at random). Synchronous: the snapshot cannot change under it.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from './framework/cycleState.js';
import type { FitDiagnosis } from './framework/fitError.js';
import type { NodeInfo, NodeSnapshot } from './framework/interface.js';
import type { Framework } from './framework/runtime.js';
import { NodeInfoImpl } from './framework/nodeInfo.js';
import { trackedPodInfo } from './framework/podInfo.js';
import { isSuccess, type Status } from './framework/status.js';

/** Upstream's error when the cluster has no nodes at all. */
export const ERR_NO_NODES = 'no nodes available to schedule pods';

/** The fewest nodes a cycle looks at before it may stop early (upstream minFeasibleNodesToFind). */
const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** The lowest adaptive percentage (upstream minFeasibleNodesPercentageToFind). */
const MIN_FEASIBLE_PERCENTAGE = 5;

/** How many feasible nodes are enough (upstream numFeasibleNodesToFind); `percentage` 0 means adaptive (50 - nodes/125, at least 5). */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND || percentage >= 100) return numAllNodes;
  let adaptive = percentage;
  if (adaptive <= 0) adaptive = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - Math.trunc(numAllNodes / 125));
  const found = Math.trunc((numAllNodes * adaptive) / 100);
  return Math.max(found, MIN_FEASIBLE_NODES_TO_FIND);
}

/** The outcome of one decision. */
export type ScheduleResult =
  | { readonly kind: 'scheduled'; readonly nodeName: string; readonly evaluatedNodes: number; readonly feasibleNodes: number }
  | { readonly kind: 'unschedulable'; readonly diagnosis: FitDiagnosis }
  | { readonly kind: 'error'; readonly status: Status };

/** Where the next cycle starts iterating nodes. */
export class NodeCursor {
  next = 0;
}

function selectHost(nodes: readonly NodeInfo[], scores: readonly number[], random: () => number): string {
  let best = -Infinity;
  let chosen = '';
  let ties = 0;
  for (let i = 0; i < nodes.length; i++) {
    const score = scores[i] ?? 0;
    if (score > best) {
      best = score;
      chosen = nodes[i]?.name ?? '';
      ties = 1;
    } else if (score === best) {
      ties += 1;
      if (random() * ties < 1) chosen = nodes[i]?.name ?? '';
    }
  }
  return chosen;
}

/** The pending pods nominated to a node. */
export type NominatedPods = (nodeName: string) => readonly Pod[];

const priorityOf = (pod: Pod): number => pod.spec?.priority ?? 0;

/**
 * Filter on one node as upstream's RunFilterPluginsWithNominatedPods: pods of at least
 * the same priority nominated to the node (preemptors waiting for their victims to go)
 * count as already there, and the pod must also fit without them.
 */
function filterWithNominated(fw: Framework, state: CycleState, pod: Pod, node: NodeInfo, nominated: NominatedPods | undefined): Status {
  const uid = pod.metadata?.uid;
  const others = nominated?.(node.name).filter((p) => p.metadata?.uid !== uid && priorityOf(p) >= priorityOf(pod)) ?? [];
  if (others.length === 0 || !(node instanceof NodeInfoImpl)) return fw.runFilters(state, pod, node);
  const withOthers = node.clone();
  const whatIf = state.clone();
  for (const other of others) {
    const info = trackedPodInfo(other);
    withOthers.addPod(info);
    const added = fw.runAddPod(whatIf, pod, info, withOthers);
    if (!isSuccess(added)) return added;
  }
  const status = fw.runFilters(whatIf, pod, withOthers);
  return isSuccess(status) ? fw.runFilters(state, pod, node) : status;
}

/** Decides where `pod` goes; see the module comment. */
export function schedulePod(
  fw: Framework,
  state: CycleState,
  pod: Pod,
  snapshot: NodeSnapshot,
  cursor: NodeCursor,
  nominated?: NominatedPods,
  random: () => number = Math.random,
): ScheduleResult {
  const all = snapshot.list();
  if (all.length === 0) return { kind: 'error', status: { code: 'Error', reasons: [ERR_NO_NODES] } };
  const pre = fw.runPreFilter(state, pod, all);
  if (!isSuccess(pre.status)) {
    if (pre.status.code === 'Error') return { kind: 'error', status: pre.status };
    const nodeStatuses = new Map(all.map((n) => [n.name, pre.status]));
    return { kind: 'unschedulable', diagnosis: { numAllNodes: all.length, nodeStatuses, preFilterMessage: pre.status.reasons.join(', ') } };
  }
  const nominatedNode = pod.status?.nominatedNodeName;
  if (nominatedNode) {
    const node = snapshot.get(nominatedNode);
    if (node !== undefined && (pre.nodeNames === undefined || pre.nodeNames.has(nominatedNode)) && isSuccess(filterWithNominated(fw, state, pod, node, nominated))) {
      return { kind: 'scheduled', nodeName: nominatedNode, evaluatedNodes: 1, feasibleNodes: 1 };
    }
  }
  const candidates = pre.nodeNames === undefined ? all : all.filter((n) => pre.nodeNames?.has(n.name));
  const wanted = numFeasibleNodesToFind(candidates.length, fw.profile.percentageOfNodesToScore);
  const feasible: NodeInfo[] = [];
  const rejected = new Map<string, Status>();
  const start = cursor.next % candidates.length;
  let processed = 0;
  for (; processed < candidates.length && feasible.length < wanted; processed++) {
    const node = candidates[(start + processed) % candidates.length] as NodeInfo;
    const status = filterWithNominated(fw, state, pod, node, nominated);
    if (isSuccess(status)) feasible.push(node);
    else if (status.code === 'Error') return { kind: 'error', status };
    else rejected.set(node.name, status);
  }
  cursor.next = (start + processed) % candidates.length;
  if (feasible.length === 0) {
    const absentNodesStatus: Status | undefined = pre.nodeNames === undefined ? undefined : { code: 'UnschedulableAndUnresolvable', reasons: [`node(s) didn't satisfy plugin(s) [${pre.narrowedBy.join(' ')}]`], ...(pre.narrowedBy[0] !== undefined ? { plugin: pre.narrowedBy[0] } : {}) };
    return { kind: 'unschedulable', diagnosis: { numAllNodes: all.length, nodeStatuses: rejected, ...(absentNodesStatus !== undefined ? { absentNodesStatus } : {}) } };
  }
  const evaluatedNodes = processed;
  if (feasible.length === 1 || !fw.hasScorePlugins()) {
    return { kind: 'scheduled', nodeName: (feasible[0] as NodeInfo).name, evaluatedNodes, feasibleNodes: feasible.length };
  }
  const preScore = fw.runPreScore(state, pod, feasible);
  if (!isSuccess(preScore)) return { kind: 'error', status: preScore };
  const scores = fw.runScore(state, pod, feasible);
  return { kind: 'scheduled', nodeName: selectHost(feasible, scores, random), evaluatedNodes, feasibleNodes: feasible.length };
}
