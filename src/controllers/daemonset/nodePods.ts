/**
 * A DaemonSet's pods grouped by the node they are for, each node with the set's verdict
 * on it (upstream `getNodesToDaemonPods` with `NodeShouldRunDaemonPod`), oldest pod
 * first as upstream sorts them (scheduled before unscheduled, then by creation time
 * and name).
 */
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import type { PodObject } from '../replicaset/podState.js';
import { targetNodeOf } from './daemonPodTemplate.js';
import type { NodeObject } from './daemonSetKind.js';
import { judgeNode } from './nodeEligibility.js';
import type { NodeVerdict } from './nodeEligibility.js';

/** One existing node, the verdict on it and the set's pods for it. */
export interface NodeState {
  node: NodeObject;
  name: string;
  verdict: NodeVerdict;
  pods: PodObject[];
}

/** The set's pods by node: the existing nodes, and the pods for nodes that do not exist. */
export interface NodePods {
  nodes: NodeState[];
  /** Pods whose node does not exist (any more). */
  podsWithoutNode: PodObject[];
}

/** Upstream `podByCreationTimestampAndPhase`. */
export function oldestFirst(a: PodObject, b: PodObject): number {
  const aScheduled = Boolean(a.spec?.nodeName);
  const bScheduled = Boolean(b.spec?.nodeName);
  if (aScheduled !== bScheduled) return aScheduled ? -1 : 1;
  const aTime = a.metadata.creationTimestamp ?? '';
  const bTime = b.metadata.creationTimestamp ?? '';
  if (aTime !== bTime) return aTime < bTime ? -1 : 1;
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

const isDeletedTerminal = (pod: PodObject): boolean =>
  pod.metadata.deletionTimestamp !== undefined && (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed');

/** Groups `pods` (the set's claimed pods) by the `nodes`, judged against the set's pod spec `spec`. */
export function groupByNode(nodes: readonly NodeObject[], pods: readonly PodObject[], spec: PodSpec): NodePods {
  const byNode = new Map<string, PodObject[]>();
  for (const pod of pods) {
    if (isDeletedTerminal(pod)) continue;
    const target = targetNodeOf(pod) ?? '';
    const list = byNode.get(target) ?? [];
    list.push(pod);
    byNode.set(target, list);
  }
  const states = nodes.map((node) => {
    const name = node.metadata.name ?? '';
    const nodePods = (byNode.get(name) ?? []).sort(oldestFirst);
    byNode.delete(name);
    return { node, name, verdict: judgeNode(node, spec), pods: nodePods };
  });
  return { nodes: states, podsWithoutNode: [...byNode.values()].flat() };
}
