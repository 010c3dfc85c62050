/**
 * Which nodes a DaemonSet runs on (upstream `NodeShouldRunDaemonPod`): a node whose
 * labels and name satisfy the pod's nodeSelector and required node affinity, and whose
 * NoSchedule/NoExecute taints its pod (with the default daemon tolerations) tolerates.
 * A pod already there may stay on a node it no longer fits only while it tolerates the
 * node's NoExecute taints (new NoSchedule taints do not evict it).
 */
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { RequiredNodeAffinity } from '../../api/nodeAffinity.js';
import { findUntoleratedTaint } from '../../api/tolerations.js';
import type { NodeObject } from './daemonSetKind.js';

/** Whether the set wants a pod on a node, and whether a pod already there may stay. */
export interface NodeVerdict {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
}

/** The verdict for `node` and the set's pod spec `spec` (with default tolerations, see daemonPodSpec). */
export function judgeNode(node: NodeObject, spec: PodSpec): NodeVerdict {
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return { shouldRun: false, shouldContinueRunning: false };
  if (!new RequiredNodeAffinity({ spec }).matches(node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  const tolerations = spec.tolerations ?? [];
  if (findUntoleratedTaint(taints, tolerations, ['NoSchedule', 'NoExecute']) === undefined) return { shouldRun: true, shouldContinueRunning: true };
  return { shouldRun: false, shouldContinueRunning: findUntoleratedTaint(taints, tolerations, ['NoExecute']) === undefined };
}
