/**
 * The node conditions the kubelet owns — MemoryPressure, DiskPressure, PIDPressure and
 * Ready — with upstream's reasons and messages. Every pass stamps lastHeartbeatTime;
 * lastTransitionTime moves only when a condition's status changes. Conditions set by
 * others (e.g. a problem detector) are kept as they are.
 */
import type { NodeCondition } from 'kubernetes-types/core/v1.js';
import type { NodeSignals } from './signals.js';

/** What one condition says, before times are stamped. */
interface ConditionVerdict {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** The resources a node must report before it may be Ready. */
const REQUIRED_CAPACITY = ['cpu', 'memory', 'pods'] as const;

function pressure(type: string, underPressure: boolean, when: [string, string], otherwise: [string, string]): ConditionVerdict {
  const [reason, message] = underPressure ? when : otherwise;
  return { type, status: underPressure ? 'True' : 'False', reason, message };
}

/** Upstream's error aggregate: one message as is, several deduplicated in brackets. */
function aggregate(errors: readonly string[]): string {
  const unique = [...new Set(errors)];
  return unique.length === 1 ? (unique[0] ?? '') : `[${unique.join(', ')}]`;
}

function readiness(signals: NodeSignals, capacity: Readonly<Record<string, string>>): ConditionVerdict {
  const errors = [...signals.readinessErrors()];
  const missing = REQUIRED_CAPACITY.filter((name) => capacity[name] === undefined);
  if (missing.length > 0) errors.push(`missing node capacity for resources: ${missing.join(', ')}`);
  if (errors.length === 0) return { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' };
  return { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: aggregate(errors) };
}

/** The four kubelet-owned verdicts, in upstream's setter order. */
export function conditionVerdicts(signals: NodeSignals, capacity: Readonly<Record<string, string>>): ConditionVerdict[] {
  return [
    pressure('MemoryPressure', signals.memoryPressure(),
      ['KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'],
      ['KubeletHasSufficientMemory', 'kubelet has sufficient memory available']),
    pressure('DiskPressure', signals.diskPressure(),
      ['KubeletHasDiskPressure', 'kubelet has disk pressure'],
      ['KubeletHasNoDiskPressure', 'kubelet has no disk pressure']),
    pressure('PIDPressure', signals.pidPressure(),
      ['KubeletHasInsufficientPID', 'kubelet has insufficient PID available'],
      ['KubeletHasSufficientPID', 'kubelet has sufficient PID available']),
    readiness(signals, capacity),
  ];
}

/** An RFC 3339 timestamp at second precision, as metav1.Time serialises. */
export function formatTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The node's conditions after one pass at `nowMs`: `previous` with the kubelet's four
 * replaced in place (appended in setter order when new), each with a fresh heartbeat
 * and the previous transition time unless its status changed.
 */
export function updateConditions(
  previous: readonly NodeCondition[] | undefined,
  signals: NodeSignals,
  capacity: Readonly<Record<string, string>>,
  nowMs: number,
): NodeCondition[] {
  const now = formatTime(nowMs);
  const result = [...(previous ?? [])];
  for (const verdict of conditionVerdicts(signals, capacity)) {
    const at = result.findIndex((c) => c.type === verdict.type);
    const old = at >= 0 ? result[at] : undefined;
    const transition = old !== undefined && old.status === verdict.status && old.lastTransitionTime !== undefined ? old.lastTransitionTime : now;
    const condition: NodeCondition = { ...verdict, lastHeartbeatTime: now, lastTransitionTime: transition };
    if (at >= 0) result[at] = condition;
    else result.push(condition);
  }
  return result;
}

/** True when the conditions differ in anything but their heartbeat times. */
export function conditionsChanged(a: readonly NodeCondition[] | undefined, b: readonly NodeCondition[] | undefined): boolean {
  const left = a ?? [];
  const right = b ?? [];
  if (left.length !== right.length) return true;
  return left.some((c, i) => {
    const d = right[i];
    return d === undefined || c.type !== d.type || c.status !== d.status || c.reason !== d.reason || c.message !== d.message || c.lastTransitionTime !== d.lastTransitionTime;
  });
}
