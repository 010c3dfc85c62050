/**
 * Why a pod fits no node, worded as upstream's FitError:
 * "0/N nodes are available: <PreFilter message>." or "0/N nodes are available:
 * <count reason, … sorted as strings>." followed by the PostFilter message
 * ("preemption: …").
 */
import type { Status } from './status.js';

/** The diagnosis of one failed cycle. */
export interface FitDiagnosis {
  readonly numAllNodes: number;
  /** Each rejected node's status. */
  readonly nodeStatuses: ReadonlyMap<string, Status>;
  /** The status every node not in `nodeStatuses` gets (PreFilter narrowed them away). */
  readonly absentNodesStatus?: Status;
  /** Set when PreFilter rejected the pod outright. */
  readonly preFilterMessage?: string;
  /** What PostFilter (preemption) said. */
  postFilterMessage?: string;
}

/** The plugins that rejected the pod on some node (the queue moves it on their events). */
export function rejectingPlugins(diagnosis: FitDiagnosis): Set<string> {
  const plugins = new Set<string>();
  for (const status of diagnosis.nodeStatuses.values()) if (status.plugin !== undefined) plugins.add(status.plugin);
  if (diagnosis.absentNodesStatus?.plugin !== undefined) plugins.add(diagnosis.absentNodesStatus.plugin);
  return plugins;
}

/** The histogram part: "1 Insufficient cpu, 2 node(s) …" sorted as strings. */
export function reasonsHistogram(numAllNodes: number, statuses: Iterable<Status>, absent?: Status, explicitCount?: number): string {
  const counts = new Map<string, number>();
  let explicit = 0;
  for (const status of statuses) {
    explicit += 1;
    for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const seen = explicitCount ?? explicit;
  if (absent !== undefined && seen < numAllNodes) {
    for (const reason of absent.reasons) counts.set(reason, (counts.get(reason) ?? 0) + numAllNodes - seen);
  }
  return [...counts].map(([reason, count]) => `${count} ${reason}`).sort().join(', ');
}

/** The whole message; see the module comment. */
export function fitErrorMessage(diagnosis: FitDiagnosis): string {
  let message = `0/${diagnosis.numAllNodes} nodes are available:`;
  if (diagnosis.preFilterMessage !== undefined && diagnosis.preFilterMessage !== '') {
    message += ` ${diagnosis.preFilterMessage}.`;
  } else {
    const histogram = reasonsHistogram(diagnosis.numAllNodes, diagnosis.nodeStatuses.values(), diagnosis.absentNodesStatus);
    if (histogram !== '') message += ` ${histogram}.`;
  }
  if (diagnosis.postFilterMessage !== undefined && diagnosis.postFilterMessage !== '') message += ` ${diagnosis.postFilterMessage}`;
  return message;
}
