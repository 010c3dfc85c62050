/**
 * Preemption's dry run on one node (upstream SelectVictimsOnNode): remove every pod of
 * lower priority than the preemptor, check the preemptor then fits, and add the
 * removed pods back one at a time, most important first, keeping back each one whose
 * return still lets the preemptor fit. The pods that could not return are the victims.
 * PodDisruptionBudgets are not consulted (k8ts's scheduler has no PDB lister).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycleState.js';
import type { TrackedPodInfo } from '../../framework/podInfo.js';
import type { SchedulerHandle } from '../../framework/profile.js';
import { isSuccess, unresolvable, type Status } from '../../framework/status.js';

/** Upstream's reason for a node with nothing to preempt. */
export const ERR_NO_VICTIMS = 'No preemption victims found for incoming pod';

/** A pod's priority (spec.priority, 0 when unset). */
export const priorityOf = (pod: Pod): number => pod.spec?.priority ?? 0;

const startOf = (pod: Pod): number => Date.parse(pod.status?.startTime ?? pod.metadata?.creationTimestamp ?? '') || Number.MAX_SAFE_INTEGER;

/** Upstream MoreImportantPod: higher priority first, then the one that started earlier. */
export function moreImportant(a: Pod, b: Pod): number {
  return priorityOf(b) - priorityOf(a) || startOf(a) - startOf(b);
}

/** The victims on a node, or why there are none. */
export type DryRun = { readonly victims: readonly TrackedPodInfo[] } | { readonly status: Status };

/** Runs the dry run for `pod` on node `nodeName`; see the module comment. */
export function selectVictimsOnNode(handle: SchedulerHandle, state: CycleState, pod: Pod, nodeName: string): DryRun {
  const node = handle.cloneNode(nodeName);
  if (node === undefined) return { status: unresolvable(ERR_NO_VICTIMS) };
  const whatIf = state.clone();
  const priority = priorityOf(pod);
  const lower = node.pods.filter((p) => priorityOf(p.pod) < priority);
  if (lower.length === 0) return { status: unresolvable(ERR_NO_VICTIMS) };
  for (const victim of lower) {
    node.removePod(victim.uid);
    const status = handle.runRemovePod(whatIf, pod, victim, node);
    if (!isSuccess(status)) return { status };
  }
  const fits = handle.runFilters(whatIf, pod, node);
  if (!isSuccess(fits)) return { status: fits };
  const victims: TrackedPodInfo[] = [];
  for (const candidate of [...lower].sort((a, b) => moreImportant(a.pod, b.pod))) {
    node.addPod(candidate);
    handle.runAddPod(whatIf, pod, candidate, node);
    if (isSuccess(handle.runFilters(whatIf, pod, node))) continue;
    node.removePod(candidate.uid);
    handle.runRemovePod(whatIf, pod, candidate, node);
    victims.push(candidate);
  }
  return { victims };
}
