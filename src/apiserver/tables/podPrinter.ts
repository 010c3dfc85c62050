/**
 * `kubectl get pods` columns: NAME READY STATUS RESTARTS AGE, wide IP NODE
 * NOMINATED NODE READINESS GATES. STATUS follows upstream's reasoning: the pod's
 * phase or reason, overridden by init-container progress (`Init:1/3`,
 * `Init:CrashLoopBackOff`), then by the last container's waiting or terminated
 * reason (`ContainerCreating`, `CrashLoopBackOff`, `Completed`, `ExitCode:1`), then
 * by deletion (`Terminating`, or `Unknown` for pods on lost nodes).
 */
import type { Container, ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { AGE_COLUMN, NAME_COLUMN, column, orPlaceholder, wideColumn } from './columns.js';
import { ageSince, humanDuration, timestampMillis } from './humanDuration.js';
import type { Printer, TableCell, TableRowCondition } from './tableTypes.js';

/** The pod status reason the node lifecycle controller sets on pods of unreachable nodes. */
const NODE_UNREACHABLE_REASON = 'NodeLost';

const isRestartable = (c: Container | undefined): boolean => c?.restartPolicy === 'Always';

const hasCondition = (conditions: readonly PodCondition[] | undefined, type: string): boolean =>
  (conditions ?? []).some((c) => c.type === type && c.status === 'True');

/** Restart count and the latest restart time (ms) of a group of statuses. */
interface RestartTally {
  count: number;
  last: number | undefined;
}

function addRestarts(tally: RestartTally, status: ContainerStatus): void {
  tally.count += status.restartCount ?? 0;
  const finished = timestampMillis(status.lastState?.terminated?.finishedAt);
  if (finished !== undefined && (tally.last === undefined || finished > tally.last)) tally.last = finished;
}

/** Upstream's reason text for a terminated container without a reason. */
function exitText(signal: number | undefined, exitCode: number): string {
  return signal !== undefined && signal !== 0 ? `Signal:${signal}` : `ExitCode:${exitCode}`;
}

/** READY, STATUS and RESTARTS of a pod, computed as upstream's `printPod` does. */
export function podSummary(pod: Pod, now: Date): { ready: string; reason: string; restarts: string } {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const initSpecs = new Map<string, Container>((spec?.initContainers ?? []).map((c) => [c.name, c]));
  let total = (spec?.containers ?? []).length;
  for (const c of initSpecs.values()) if (isRestartable(c)) total++;
  let ready = 0;

  let reason = status.reason !== undefined && status.reason !== '' ? status.reason : (status.phase ?? '');
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }

  const all: RestartTally = { count: 0, last: undefined };
  const sidecars: RestartTally = { count: 0, last: undefined };
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (const [i, c] of initStatuses.entries()) {
    addRestarts(all, c);
    const restartable = isRestartable(initSpecs.get(c.name));
    if (restartable) addRestarts(sidecars, c);
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated !== undefined && terminated.exitCode === 0) continue;
    if (restartable && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated !== undefined) {
      reason =
        terminated.reason !== undefined && terminated.reason !== ''
          ? `Init:${terminated.reason}`
          : `Init:${exitText(terminated.signal, terminated.exitCode)}`;
    } else if (waiting?.reason !== undefined && waiting.reason !== '' && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.size}`;
    }
    initializing = true;
    break;
  }

  let restarts = all;
  if (!initializing || hasCondition(status.conditions, 'Initialized')) {
    restarts = { ...sidecars };
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      if (c === undefined) continue;
      addRestarts(restarts, c);
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason !== undefined && waiting.reason !== '') {
        reason = waiting.reason;
      } else if (terminated !== undefined) {
        reason =
          terminated.reason !== undefined && terminated.reason !== ''
            ? terminated.reason
            : exitText(terminated.signal, terminated.exitCode);
      } else if (c.ready && c.state?.running !== undefined) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = hasCondition(status.conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  const deleting = pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
  if (deleting && status.reason === NODE_UNREACHABLE_REASON) {
    reason = 'Unknown';
  } else if (deleting && status.phase !== 'Succeeded' && status.phase !== 'Failed') {
    reason = 'Terminating';
  }

  const restartText =
    restarts.count !== 0 && restarts.last !== undefined
      ? `${restarts.count} (${humanDuration(now.getTime() - restarts.last)} ago)`
      : String(restarts.count);
  return { ready: `${ready}/${total}`, reason, restarts: restartText };
}

/** READINESS GATES: `true/total` of the pod's readiness gates, or `<none>`. */
function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const passed = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${passed}/${gates.length}`;
}

const COMPLETED: Readonly<Record<string, TableRowCondition>> = {
  Succeeded: { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
  Failed: { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
};

/** The pod printer. */
export const podPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    AGE_COLUMN,
    wideColumn('IP', 'The first IP address allocated to the pod.'),
    wideColumn('Node', 'The node the pod is bound to.'),
    wideColumn('Nominated Node', 'The node the scheduler nominated for this pod after preemption.'),
    wideColumn('Readiness Gates', 'Extra pod conditions that must be true for the pod to be ready.'),
  ],
  cells(obj: KubeObject, now: Date): TableCell[] {
    const pod = obj as Pod;
    const { ready, reason, restarts } = podSummary(pod, now);
    return [
      pod.metadata?.name ?? '',
      ready,
      reason,
      restarts,
      ageSince(pod.metadata?.creationTimestamp, now),
      orPlaceholder(pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP, '<none>'),
      orPlaceholder(pod.spec?.nodeName, '<none>'),
      orPlaceholder(pod.status?.nominatedNodeName, '<none>'),
      readinessGates(pod),
    ];
  },
  conditions(obj: KubeObject): TableRowCondition[] | undefined {
    const condition = COMPLETED[(obj as Pod).status?.phase ?? ''];
    return condition === undefined ? undefined : [condition];
  },
};
