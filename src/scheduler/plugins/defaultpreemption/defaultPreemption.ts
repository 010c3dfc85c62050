/**
 * DefaultPreemption (PostFilter): when no node fits, looks for a node where evicting
 * pods of lower priority makes the pod fit (see victims.ts), picks the best node by
 * upstream's criteria (lowest highest victim priority, then lowest priority sum, then
 * fewest victims, then the latest-started most important victim), marks each victim
 * with the DisruptionTarget condition (reason PreemptionByScheduler), records a
 * `Preempted` event and deletes it gracefully, and nominates the node for the pod.
 * Otherwise it explains why, in upstream's words ("preemption: 0/N nodes are
 * available: …").
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycleState.js';
import { reasonsHistogram } from '../../framework/fitError.js';
import type { PostFilterPlugin } from '../../framework/interface.js';
import type { TrackedPodInfo } from '../../framework/podInfo.js';
import type { SchedulerHandle } from '../../framework/profile.js';
import { success, unresolvable, unschedulable, type Status } from '../../framework/status.js';
import { moreImportant, priorityOf, selectVictimsOnNode } from './victims.js';

/** The plugin's name. */
export const DEFAULT_PREEMPTION = 'DefaultPreemption';

/** Upstream's reason for nodes no eviction can help. */
export const ERR_NOT_HELPFUL = 'Preemption is not helpful for scheduling';

/** Upstream's message for a pod that may not preempt. */
export const ERR_POLICY_NEVER = 'not eligible due to preemptionPolicy=Never.';

interface Candidate {
  readonly nodeName: string;
  readonly victims: readonly TrackedPodInfo[];
}

const apiTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** Upstream's candidate order: the first candidate by these criteria wins. */
function better(a: Candidate, b: Candidate): boolean {
  const highest = (c: Candidate) => Math.max(...c.victims.map((v) => priorityOf(v.pod)));
  const sum = (c: Candidate) => c.victims.reduce((total, v) => total + priorityOf(v.pod) + 2 ** 31, 0);
  if (highest(a) !== highest(b)) return highest(a) < highest(b);
  if (sum(a) !== sum(b)) return sum(a) < sum(b);
  if (a.victims.length !== b.victims.length) return a.victims.length < b.victims.length;
  const earliestImportant = (c: Candidate) => [...c.victims].sort((x, y) => moreImportant(x.pod, y.pod))[0]?.pod;
  const startA = Date.parse(earliestImportant(a)?.status?.startTime ?? '') || 0;
  const startB = Date.parse(earliestImportant(b)?.status?.startTime ?? '') || 0;
  return startA > startB;
}

/** Whether a pod of lower priority is already terminating on the pod's nominated node (then it waits instead). */
function waitingForVictims(handle: SchedulerHandle, pod: Pod): boolean {
  const nominated = pod.status?.nominatedNodeName;
  if (!nominated) return false;
  const node = handle.snapshot().get(nominated);
  return node?.pods.some((p) => p.pod.metadata?.deletionTimestamp !== undefined && priorityOf(p.pod) < priorityOf(pod)) ?? false;
}

/** Builds the DefaultPreemption plugin. */
export function newDefaultPreemption(handle: SchedulerHandle): PostFilterPlugin {
  const evict = async (preemptor: Pod, nodeName: string, victim: Pod, signal: AbortSignal): Promise<void> => {
    const target = { group: '', version: 'v1', resource: 'pods', namespace: victim.metadata?.namespace ?? '' };
    const name = victim.metadata?.name ?? '';
    const condition = {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: `${handle.schedulerName}: preempting to accommodate a higher priority pod`,
      lastTransitionTime: apiTime(handle.clock.now()),
    };
    await handle.client.patch(target, name, 'strategic', { metadata: { uid: victim.metadata?.uid ?? '' }, status: { conditions: [condition] } }, { subresource: 'status', signal });
    handle.recordEvent(victim, 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata?.uid ?? ''} on node ${nodeName}`);
    await handle.client.delete(target, name, { signal, preconditions: { uid: victim.metadata?.uid ?? '' } });
  };

  return {
    name: DEFAULT_PREEMPTION,
    async postFilter(state: CycleState, pod: Pod, rejections: ReadonlyMap<string, Status>, signal: AbortSignal): Promise<{ status: Status; nominatedNodeName?: string }> {
      if (pod.spec?.preemptionPolicy === 'Never') return { status: unschedulable(ERR_POLICY_NEVER) };
      if (waitingForVictims(handle, pod)) return { status: unschedulable('not eligible due to a terminating pod on the nominated node.') };
      const nodes = handle.snapshot().list();
      const statuses = new Map<string, Status>();
      const candidates: Candidate[] = [];
      for (const node of nodes) {
        const rejection = rejections.get(node.name);
        if (rejection !== undefined && rejection.code !== 'Unschedulable') {
          statuses.set(node.name, unresolvable(ERR_NOT_HELPFUL));
          continue;
        }
        const dryRun = selectVictimsOnNode(handle, state, pod, node.name);
        if ('status' in dryRun) statuses.set(node.name, dryRun.status);
        else candidates.push({ nodeName: node.name, victims: dryRun.victims });
      }
      if (candidates.length === 0) {
        const message = `preemption: 0/${nodes.length} nodes are available: ${reasonsHistogram(nodes.length, statuses.values())}.`;
        return { status: [...statuses.values()].every((s) => s.code === 'UnschedulableAndUnresolvable') ? unresolvable(message) : unschedulable(message) };
      }
      const best = candidates.reduce((a, b) => (better(b, a) ? b : a));
      for (const victim of best.victims) await evict(pod, best.nodeName, victim.pod, signal);
      return { status: success(), nominatedNodeName: best.nodeName };
    },
  };
}
