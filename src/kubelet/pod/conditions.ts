/**
 * The pod conditions the kubelet owns (PodReadyToStartContainers, Initialized,
 * Ready, ContainersReady), with upstream's reasons and messages, merged into the
 * pod's existing conditions.
 */
import type { ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { PodPhase } from './phase.js';
import { apiTime, hasAnyRegularContainerStarted, isRestartableInitContainer } from './podHelpers.js';

/** Reasons the kubelet puts on its conditions (upstream `pkg/kubelet/status`). */
export const ConditionReason = {
  UnknownContainerStatuses: 'UnknownContainerStatuses',
  PodCompleted: 'PodCompleted',
  PodFailed: 'PodFailed',
  ContainersNotReady: 'ContainersNotReady',
  ContainersNotInitialized: 'ContainersNotInitialized',
  ReadinessGatesNotReady: 'ReadinessGatesNotReady',
} as const;

/** Condition types the kubelet computes itself; others on the pod are left alone. */
export const KUBELET_CONDITION_TYPES: readonly string[] = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'];

/** A condition without times: what the generators below return. */
export type ConditionCore = Pick<PodCondition, 'type' | 'status'> & { reason?: string; message?: string };

function condition(type: string, ok: boolean, reason?: string, message?: string): ConditionCore {
  return { type, status: ok ? 'True' : 'False', ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

/** Go's `%s` of a string slice: `[a b]`. */
function goList(names: string[]): string {
  return `[${names.join(' ')}]`;
}

/**
 * ContainersReady: True when every regular container and sidecar reports ready.
 * `statuses` undefined means the kubelet knows nothing (UnknownContainerStatuses).
 * Succeeded (all known) → False/PodCompleted; Failed → False/PodFailed; otherwise
 * False/ContainersNotReady with "containers with unknown status: [..]" and/or
 * "containers with unready status: [..]".
 */
export function containersReadyCondition(pod: Pod, statuses: readonly ContainerStatus[] | undefined, phase: PodPhase): ConditionCore {
  if (statuses === undefined) return condition('ContainersReady', false, ConditionReason.UnknownContainerStatuses);
  const byName = new Map(statuses.map((s) => [s.name, s]));
  const unknown: string[] = [];
  const unready: string[] = [];
  const watched = [...(pod.spec?.initContainers ?? []).filter(isRestartableInitContainer), ...(pod.spec?.containers ?? [])];
  for (const container of watched) {
    const status = byName.get(container.name);
    if (status === undefined) unknown.push(container.name);
    else if (!status.ready) unready.push(container.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return condition('ContainersReady', false, ConditionReason.PodCompleted);
  if (phase === 'Failed') return condition('ContainersReady', false, ConditionReason.PodFailed);
  const messages: string[] = [];
  if (unknown.length > 0) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length > 0) messages.push(`containers with unready status: ${goList(unready)}`);
  if (messages.length > 0) return condition('ContainersReady', false, ConditionReason.ContainersNotReady, messages.join(', '));
  return condition('ContainersReady', true);
}

/**
 * Ready: ContainersReady's status, reason and message when that is not True;
 * otherwise False/ReadinessGatesNotReady when a readiness gate's condition (looked up
 * in `conditions`) is missing or not True, else True.
 */
export function podReadyCondition(
  pod: Pod,
  conditions: readonly Pick<PodCondition, 'type' | 'status'>[],
  statuses: readonly ContainerStatus[] | undefined,
  phase: PodPhase,
): ConditionCore {
  const containersReady = containersReadyCondition(pod, statuses, phase);
  if (containersReady.status !== 'True') return { ...containersReady, type: 'Ready' };
  const messages: string[] = [];
  for (const gate of pod.spec?.readinessGates ?? []) {
    const found = conditions.find((c) => c.type === gate.conditionType);
    if (found === undefined) {
      messages.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    } else if (found.status !== 'True') {
      messages.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${found.status}`);
    }
  }
  if (messages.length > 0) return condition('Ready', false, ConditionReason.ReadinessGatesNotReady, messages.join(', '));
  return condition('Ready', true);
}

/**
 * Initialized: True when every regular init container succeeded (reported ready) and
 * every sidecar has started, or once any regular container has started, or
 * True/PodCompleted for a Succeeded pod with all init statuses known. Otherwise
 * False/ContainersNotInitialized with "containers with unknown status: [..]" and/or
 * "containers with incomplete status: [..]".
 */
export function initializedCondition(pod: Pod, statuses: readonly ContainerStatus[] | undefined, phase: PodPhase): ConditionCore {
  const initContainers = pod.spec?.initContainers ?? [];
  if (statuses === undefined && initContainers.length > 0) {
    return condition('Initialized', false, ConditionReason.UnknownContainerStatuses);
  }
  const known = statuses ?? [];
  const byName = new Map(known.map((s) => [s.name, s]));
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const container of initContainers) {
    const status = byName.get(container.name);
    if (status === undefined) {
      unknown.push(container.name);
      continue;
    }
    const done = isRestartableInitContainer(container) ? status.started === true : status.ready;
    if (!done) incomplete.push(container.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return condition('Initialized', true, ConditionReason.PodCompleted);
  if (hasAnyRegularContainerStarted(pod, known)) return condition('Initialized', true);
  const messages: string[] = [];
  if (unknown.length > 0) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length > 0) messages.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (messages.length > 0) return condition('Initialized', false, ConditionReason.ContainersNotInitialized, messages.join(', '));
  return condition('Initialized', true);
}

/** PodReadyToStartContainers: True once a ready sandbox with networking exists (no new sandbox needed). */
export function readyToStartContainersCondition(sandboxReady: boolean): ConditionCore {
  return condition('PodReadyToStartContainers', sandboxReady);
}

/** A condition as the kubelet writes it: `lastProbeTime: null` as upstream serialises it. */
export type StampedCondition = Omit<PodCondition, 'lastProbeTime'> & { lastProbeTime?: string | null };

/** What `podConditions` needs to know beyond the pod. */
export interface PodConditionInputs {
  /** The API statuses of all containers and init containers; undefined when unknown. */
  statuses: readonly ContainerStatus[] | undefined;
  phase: PodPhase;
  /** Whether the pod's current sandbox is ready and needs no replacement. */
  sandboxReady: boolean;
  /** Now, ms since the epoch: the lastTransitionTime of conditions that changed. */
  now: number;
}

/**
 * The pod's full condition list: the kubelet's four conditions (in the order
 * PodReadyToStartContainers, Initialized, Ready, ContainersReady), then every other
 * condition already on `pod.status` unchanged, then PodScheduled=True if the pod had
 * none. A condition whose status did not change keeps its previous lastTransitionTime;
 * a changed or new one gets `now`. Readiness gates read the pod's existing conditions.
 */
export function podConditions(pod: Pod, inputs: PodConditionInputs): StampedCondition[] {
  const previous = pod.status?.conditions ?? [];
  const others = previous.filter((c) => !KUBELET_CONDITION_TYPES.includes(c.type));
  const generated: ConditionCore[] = [
    readyToStartContainersCondition(inputs.sandboxReady),
    initializedCondition(pod, inputs.statuses, inputs.phase),
    podReadyCondition(pod, others, inputs.statuses, inputs.phase),
    containersReadyCondition(pod, inputs.statuses, inputs.phase),
  ];
  if (!others.some((c) => c.type === 'PodScheduled')) generated.push(condition('PodScheduled', true));
  const stamped = generated.map((c): StampedCondition => {
    const old = previous.find((p) => p.type === c.type);
    const lastTransitionTime = old?.lastTransitionTime !== undefined && old.status === c.status ? old.lastTransitionTime : apiTime(inputs.now);
    return { ...c, lastProbeTime: null, lastTransitionTime };
  });
  const scheduled = stamped.length > 4 ? stamped.slice(4) : [];
  return [...stamped.slice(0, 4), ...others, ...scheduled];
}
