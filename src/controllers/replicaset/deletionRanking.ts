/**
 * Which pods a replica controller deletes first when it scales down (upstream
 * `ActivePodsWithRanks`): unassigned before assigned; Pending before Unknown before
 * Running; not Ready before Ready; pods doubled up on a node with their siblings
 * before lone ones; Ready for less time before longer; more container restarts
 * before fewer; newer before older.
 */
import type { PodObject } from './podState.js';
import { isPodReady, readyCondition } from './podState.js';

const PHASE_ORDER: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

const timeOf = (text: string | undefined): number => (text === undefined ? 0 : Date.parse(text) || 0);

const restarts = (pod: PodObject): number => (pod.status?.containerStatuses ?? []).reduce((max, s) => Math.max(max, s.restartCount), 0);

const compare = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);

function deleteFirst(a: PodObject, b: PodObject, siblingsOnNode: (pod: PodObject) => number): number {
  const assignedA = (a.spec?.nodeName ?? '') !== '';
  const assignedB = (b.spec?.nodeName ?? '') !== '';
  if (assignedA !== assignedB) return assignedA ? 1 : -1;
  const phase = compare(PHASE_ORDER[a.status?.phase ?? 'Pending'] ?? 0, PHASE_ORDER[b.status?.phase ?? 'Pending'] ?? 0);
  if (phase !== 0) return phase;
  const readyA = isPodReady(a);
  const readyB = isPodReady(b);
  if (readyA !== readyB) return readyA ? 1 : -1;
  const doubledUp = compare(siblingsOnNode(b), siblingsOnNode(a));
  if (doubledUp !== 0) return doubledUp;
  if (readyA && readyB) {
    const readySince = compare(timeOf(readyCondition(b)?.lastTransitionTime), timeOf(readyCondition(a)?.lastTransitionTime));
    if (readySince !== 0) return readySince;
  }
  const restarted = compare(restarts(b), restarts(a));
  if (restarted !== 0) return restarted;
  return compare(timeOf(b.metadata.creationTimestamp), timeOf(a.metadata.creationTimestamp));
}

/** The `count` pods of `pods` (one controller's active pods) to delete, in upstream's order. */
export function podsToDelete(pods: readonly PodObject[], count: number): PodObject[] {
  const perNode = new Map<string, number>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName ?? '';
    if (node !== '') perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const siblingsOnNode = (pod: PodObject): number => perNode.get(pod.spec?.nodeName ?? '') ?? 0;
  return [...pods].sort((a, b) => deleteFirst(a, b, siblingsOnNode)).slice(0, Math.max(0, count));
}
