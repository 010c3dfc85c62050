/**
 * What the kubelet does next for one pod, as upstream's `computePodActions` (with
 * sidecar containers): create a sandbox, kill the pod, kill containers, start init
 * containers and containers. Pure: probe verdicts and spec changes are inputs.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { isRestartableInitContainer, latestContainer, podRestartPolicy, shouldContainerBeRestarted } from './podHelpers.js';
import type { ProbeResults, RuntimeContainer, RuntimePodStatus } from './runtimeTypes.js';

/** Why a container is killed (upstream's kill reasons; `changed` = definition changed). */
export type KillReason = 'unknown' | 'livenessProbe' | 'startupProbe' | 'changed';

/** One container to stop, with the event message upstream writes. */
export interface ContainerToKill {
  /** Runtime id (no prefix). */
  id: string;
  name: string;
  reason: KillReason;
  message: string;
}

/** The decision for one sync of a pod. */
export interface PodActions {
  /** Stop everything (sandbox included) before anything else. */
  killPod: boolean;
  /** Make a new sandbox (after killing the old one, if any). */
  createSandbox: boolean;
  /** The sandbox attempt number to use when creating one. */
  sandboxAttempt: number;
  /** Indexes into spec.initContainers to start, in order. */
  initContainersToStart: number[];
  /** Indexes into spec.containers to start, in order. */
  containersToStart: number[];
  containersToKill: ContainerToKill[];
}

/** Inputs beyond the pod and runtime. */
export interface ActionInputs {
  probes?: ProbeResults;
  /** Names of containers whose spec hash differs from their running instance's. */
  changedContainers?: ReadonlySet<string>;
}

/**
 * Whether the pod needs a new sandbox (upstream `PodSandboxChanged`): none yet, more
 * than one ready, the newest not ready, or (unless host network) the newest without an IP.
 * Returns the attempt number for the new one.
 */
export function sandboxChange(pod: Pod, runtime: RuntimePodStatus): { needed: boolean; attempt: number } {
  const newest = runtime.sandboxes[0];
  if (newest === undefined) return { needed: true, attempt: 0 };
  const ready = runtime.sandboxes.filter((s) => s.state === 'ready').length;
  const broken = ready > 1 || newest.state !== 'ready' || (pod.spec?.hostNetwork !== true && newest.ips.length === 0);
  return broken ? { needed: true, attempt: newest.attempt + 1 } : { needed: false, attempt: newest.attempt };
}

function initContainerFailed(c: RuntimeContainer): boolean {
  return c.reason === 'OOMKilled' || (c.state === 'exited' && (c.exitCode ?? 0) !== 0) || c.state === 'unknown';
}

function containerSucceeded(container: Container, runtime: RuntimePodStatus): boolean {
  const latest = latestContainer(runtime, container.name);
  return latest !== undefined && latest.state !== 'running' && (latest.exitCode ?? 0) === 0;
}

/** True when init is finished per upstream `findNextInitContainerToRun` (used only for the sandbox decision). */
function initDone(pod: Pod, runtime: RuntimePodStatus): boolean {
  const init = pod.spec?.initContainers ?? [];
  if (init.length === 0) return true;
  if ((pod.spec?.containers ?? []).some((c) => latestContainer(runtime, c.name)?.state === 'running')) return true;
  for (let i = init.length - 1; i >= 0; i--) {
    const status = latestContainer(runtime, (init[i] as Container).name);
    if (status !== undefined && initContainerFailed(status)) return false;
  }
  for (let i = init.length - 1; i >= 0; i--) {
    const status = latestContainer(runtime, (init[i] as Container).name);
    if (status === undefined) continue;
    if (status.state === 'running') return false;
    if (status.state === 'exited') return i === init.length - 1;
  }
  return false;
}

/** Upstream's `computeInitContainerActions`: fills init starts and kills; returns whether the pod is initialized. */
function initContainerActions(pod: Pod, runtime: RuntimePodStatus, inputs: ActionInputs, actions: PodActions): boolean {
  const init = pod.spec?.initContainers ?? [];
  if (init.length === 0) return true;
  let initialized = (pod.spec?.containers ?? []).some((c) => {
    const state = latestContainer(runtime, c.name)?.state;
    return state === 'created' || state === 'running';
  });
  let previouslyInitialized = initialized;
  const restartOnFailure = podRestartPolicy(pod) !== 'Never';
  const starts: number[] = [];
  const kill = (status: RuntimeContainer, reason: KillReason, message: string): void => {
    actions.containersToKill.push({ id: status.id, name: status.name, reason, message });
  };

  for (let i = init.length - 1; i >= 0; i--) {
    const container = init[i] as Container;
    const sidecar = isRestartableInitContainer(container);
    const status = latestContainer(runtime, container.name);
    if (status === undefined) {
      if (previouslyInitialized && sidecar) starts.push(i);
      continue;
    }
    if (previouslyInitialized && !sidecar) continue;

    switch (status.state) {
      case 'created':
        starts.push(i);
        break;
      case 'running': {
        if (!sidecar) break;
        if (container.startupProbe !== undefined) {
          const startup = inputs.probes?.startup?.get(status.id);
          if (startup === undefined) break;
          if (startup === 'failure') {
            kill(status, 'startupProbe', `Init container ${container.name} failed startup probe`);
            starts.push(i);
            break;
          }
        }
        if (i === init.length - 1) initialized = true;
        else if (!previouslyInitialized) starts.push(i + 1);
        if (inputs.changedContainers?.has(container.name)) {
          kill(status, 'changed', `Init container ${container.name} definition changed`);
          starts.push(i);
          break;
        }
        if (container.livenessProbe !== undefined && inputs.probes?.liveness?.get(status.id) === 'failure') {
          kill(status, 'livenessProbe', `Init container ${container.name} failed liveness probe`);
          starts.push(i);
        }
        break;
      }
      case 'exited':
        if (sidecar) {
          starts.push(i);
        } else if (initContainerFailed(status)) {
          if (!restartOnFailure) {
            actions.killPod = true;
            actions.initContainersToStart = [];
            return false;
          }
          starts.push(i);
        } else if (i === init.length - 1) {
          initialized = true;
        } else {
          starts.push(i + 1);
        }
        break;
      default:
        if (!sidecar && !restartOnFailure) {
          actions.killPod = true;
          actions.initContainersToStart = [];
          return false;
        }
        kill(status, 'unknown', 'Init container is in "unknown" state, try killing it before restart');
        starts.push(i);
    }
    previouslyInitialized = true;
  }
  if (!previouslyInitialized) starts.push(0);
  actions.initContainersToStart = starts.reverse();
  return initialized;
}

/**
 * The next actions for `pod` given what the runtime reports:
 * - sandbox missing/broken → kill the pod and make a new sandbox, starting the first
 *   init container (or all containers, minus succeeded ones under OnFailure) — unless
 *   the restart policy is Never and containers already ran, or nothing is left to run;
 * - init containers in order: the next one after each success, failed ones again
 *   (Never: kill the pod), sidecars started in order (after their startup probe) and
 *   restarted whenever they stop, fail liveness/startup or change;
 * - once initialized, containers that should run and do not are started (unknown-state
 *   ones killed first); running ones failing liveness/startup or changed are killed and,
 *   restart policy permitting (always when changed), started again;
 * - nothing left running or to start → kill the pod (sidecars are not restarted).
 */
export function computePodActions(pod: Pod, runtime: RuntimePodStatus, inputs: ActionInputs = {}): PodActions {
  const sandbox = sandboxChange(pod, runtime);
  const actions: PodActions = {
    killPod: sandbox.needed,
    createSandbox: sandbox.needed,
    sandboxAttempt: sandbox.attempt,
    initContainersToStart: [],
    containersToStart: [],
    containersToKill: [],
  };
  const containers = pod.spec?.containers ?? [];
  const restartOnFailure = podRestartPolicy(pod) !== 'Never';

  if (sandbox.needed) {
    if (!restartOnFailure && sandbox.attempt !== 0 && runtime.containers.length > 0) {
      actions.createSandbox = false;
      return actions;
    }
    const toStart = containers.flatMap((c, i) => (podRestartPolicy(pod) === 'OnFailure' && containerSucceeded(c, runtime) ? [] : [i]));
    if (toStart.length === 0 && initDone(pod, runtime)) {
      actions.createSandbox = false;
      return actions;
    }
    if ((pod.spec?.initContainers ?? []).length > 0) actions.initContainersToStart = [0];
    else actions.containersToStart = toStart;
    return actions;
  }

  const initialized = initContainerActions(pod, runtime, inputs, actions);
  if (actions.killPod || !initialized) return actions;

  let keep = 0;
  containers.forEach((container, idx) => {
    const status = latestContainer(runtime, container.name);
    if (status === undefined || status.state !== 'running') {
      if (shouldContainerBeRestarted(container, pod, runtime)) {
        actions.containersToStart.push(idx);
        if (status?.state === 'unknown') {
          actions.containersToKill.push({ id: status.id, name: status.name, reason: 'unknown', message: 'Container is in "unknown" state, try killing it before restart' });
        }
      }
      return;
    }
    let restart = restartOnFailure;
    let reason: KillReason;
    let message: string;
    if (inputs.changedContainers?.has(container.name)) {
      reason = 'changed';
      message = `Container ${container.name} definition changed`;
      restart = true;
    } else if (inputs.probes?.liveness?.get(status.id) === 'failure') {
      reason = 'livenessProbe';
      message = `Container ${container.name} failed liveness probe`;
    } else if (inputs.probes?.startup?.get(status.id) === 'failure') {
      reason = 'startupProbe';
      message = `Container ${container.name} failed startup probe`;
    } else {
      keep++;
      return;
    }
    if (restart) {
      message = `${message}, will be restarted`;
      actions.containersToStart.push(idx);
    }
    actions.containersToKill.push({ id: status.id, name: status.name, reason, message });
  });

  if (keep === 0 && actions.containersToStart.length === 0) {
    actions.killPod = true;
    actions.initContainersToStart = [];
  }
  return actions;
}
