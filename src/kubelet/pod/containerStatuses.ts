/**
 * API container statuses (status.containerStatuses / initContainerStatuses) from the
 * runtime's view, the previous API status, the kubelet's last start failures and
 * probe results, as upstream's `convertToAPIContainerStatuses` plus the probe
 * manager's ready/started.
 */
import type { Container, ContainerStatus, Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { apiTime, containerInstances, isRestartableInitContainer, shouldContainerBeRestarted } from './podHelpers.js';
import type { ProbeResult, ProbeResults, RuntimeContainer, RuntimePodStatus, StartFailure } from './runtimeTypes.js';

/** Waiting reasons the kubelet itself writes. */
export const WaitingReason = {
  ContainerCreating: 'ContainerCreating',
  PodInitializing: 'PodInitializing',
} as const;

/** The terminated reason for a container that vanished from the runtime while running. */
export const CONTAINER_STATUS_UNKNOWN = 'ContainerStatusUnknown';

/** What the conversion reads besides the pod. */
export interface ContainerStatusInputs {
  runtime: RuntimePodStatus;
  /** The pod's previous API status (the status manager's copy, else `pod.status`). */
  previous?: PodStatus;
  /** The last start failure per container name (CrashLoopBackOff, ErrImagePull, …). */
  startFailures?: ReadonlyMap<string, StartFailure>;
  probes?: ProbeResults;
}

/** The two API lists, regular containers sorted by name and init containers in spec order. */
export interface ApiContainerStatuses {
  containerStatuses: ContainerStatus[];
  initContainerStatuses: ContainerStatus[];
}

type MutableStatus = {
  -readonly [K in keyof ContainerStatus]: ContainerStatus[K];
};

function terminatedReason(c: RuntimeContainer): string {
  if (c.reason) return c.reason;
  return (c.exitCode ?? 0) === 0 ? 'Completed' : 'Error';
}

function convert(c: RuntimeContainer, runtimeName: string, old: ContainerStatus | undefined): MutableStatus {
  const containerID = `${runtimeName}://${c.id}`;
  const status: MutableStatus = {
    name: c.name,
    state: {},
    lastState: {},
    ready: false,
    restartCount: c.restartCount,
    image: c.image,
    imageID: c.imageRef,
    containerID,
  };
  if (c.state === 'running') {
    status.state = { running: { ...(c.startedAt !== undefined ? { startedAt: apiTime(c.startedAt) } : {}) } };
  } else if (c.state === 'exited') {
    status.state = {
      terminated: {
        exitCode: c.exitCode ?? 0,
        reason: terminatedReason(c),
        ...(c.message ? { message: c.message } : {}),
        ...(c.startedAt !== undefined ? { startedAt: apiTime(c.startedAt) } : {}),
        ...(c.finishedAt !== undefined ? { finishedAt: apiTime(c.finishedAt) } : {}),
        containerID,
      },
    };
  } else if (c.state === 'unknown' && old?.state?.running !== undefined) {
    status.state = {
      terminated: { reason: CONTAINER_STATUS_UNKNOWN, message: 'The container could not be located when the pod was terminated', exitCode: 137 },
    };
    status.restartCount = old.restartCount + 1;
  } else {
    status.state = { waiting: {} };
  }
  return status;
}

function convertList(
  pod: Pod,
  inputs: ContainerStatusInputs,
  containers: readonly Container[],
  previous: readonly ContainerStatus[],
  hasInitContainers: boolean,
  isInit: boolean,
): Map<string, MutableStatus> {
  const oldByName = new Map(previous.map((s) => [s.name, s]));
  const defaultReason = hasInitContainers ? WaitingReason.PodInitializing : WaitingReason.ContainerCreating;
  const statuses = new Map<string, MutableStatus>();
  for (const container of containers) {
    const old = oldByName.get(container.name);
    if (old?.state?.terminated !== undefined) {
      statuses.set(container.name, { ...old });
      continue;
    }
    statuses.set(container.name, {
      name: container.name,
      state: { waiting: { reason: defaultReason } },
      lastState: old?.lastState ?? {},
      ready: false,
      restartCount: old?.restartCount ?? 0,
      image: container.image ?? '',
      imageID: '',
    });
  }

  // A container that was running and has vanished from the runtime ran and stopped.
  for (const container of containers) {
    if (inputs.runtime.containers.some((c) => c.name === container.name)) continue;
    const old = oldByName.get(container.name);
    if (old?.state?.running === undefined) continue;
    const status = statuses.get(container.name);
    if (status?.state?.waiting?.reason !== defaultReason || status.lastState?.terminated !== undefined) continue;
    status.lastState = {
      terminated: {
        reason: CONTAINER_STATUS_UNKNOWN,
        message: 'The container could not be located when the pod was deleted.  The container used to be Running',
        exitCode: 137,
      },
    };
    if (pod.metadata?.deletionTimestamp === undefined) status.restartCount += 1;
  }

  // The newest instance is the state; the one before it is the last state.
  for (const container of containers) {
    const instances = containerInstances(inputs.runtime, container.name).slice(0, 2);
    const [current, previousInstance] = instances;
    if (current === undefined) continue;
    const old = oldByName.get(container.name);
    const status = convert(current, inputs.runtime.runtimeName, old);
    if (previousInstance !== undefined) status.lastState = convert(previousInstance, inputs.runtime.runtimeName, old).state ?? {};
    else status.lastState = statuses.get(container.name)?.lastState ?? {};
    statuses.set(container.name, status);
  }

  // A container the kubelet will restart shows why its last start failed.
  for (const container of containers) {
    const latest = containerInstances(inputs.runtime, container.name)[0];
    if (isInit && latest?.state === 'exited' && latest.exitCode === 0) continue;
    if (!shouldContainerBeRestarted(container, pod, inputs.runtime)) continue;
    const failure = inputs.startFailures?.get(container.name);
    const status = statuses.get(container.name);
    if (failure === undefined || status === undefined) continue;
    if (status.state?.terminated !== undefined) status.lastState = status.state;
    status.state = { waiting: { reason: failure.reason, ...(failure.message ? { message: failure.message } : {}) } };
  }
  return statuses;
}

function containerIdOf(status: MutableStatus): string | undefined {
  const id = status.containerID;
  return id === undefined ? undefined : id.slice(id.indexOf('://') + 3);
}

function verdict(map: ReadonlyMap<string, ProbeResult> | undefined, id: string | undefined): ProbeResult | undefined {
  return id === undefined ? undefined : map?.get(id);
}

/** The probe manager's ready/started for a running container (probes absent from the spec pass). */
function applyProbes(status: MutableStatus, container: Container, probes: ProbeResults | undefined): void {
  const id = containerIdOf(status);
  const isRunning = status.state?.running !== undefined;
  const started = isRunning && (container.startupProbe === undefined || verdict(probes?.startup, id) === 'success');
  status.started = started;
  if (!started) return;
  status.ready = container.readinessProbe === undefined || verdict(probes?.readiness, id) === 'success';
}

/**
 * The API container statuses of `pod`. Each container shows its newest runtime
 * instance as `state` and the one before (or the previous API lastState) as
 * `lastState`; one the runtime never created waits with ContainerCreating
 * (PodInitializing when the pod has init containers); one the kubelet will restart
 * waits with its last start failure's reason and message (CrashLoopBackOff,
 * ErrImagePull, …) while its termination moves to `lastState`. A previously
 * terminated status is kept until the runtime reports a newer instance. `started` is
 * true for a running container whose startup probe (if any) succeeded; `ready` needs
 * that and a successful readiness probe (if any); a regular init container is ready
 * once it exited 0.
 */
export function apiContainerStatuses(pod: Pod, inputs: ContainerStatusInputs): ApiContainerStatuses {
  const containers = pod.spec?.containers ?? [];
  const initContainers = pod.spec?.initContainers ?? [];
  const hasInit = initContainers.length > 0;
  const regular = convertList(pod, inputs, containers, inputs.previous?.containerStatuses ?? [], hasInit, false);
  const init = convertList(pod, inputs, initContainers, inputs.previous?.initContainerStatuses ?? [], hasInit, true);

  const containerStatuses = containers.map((c): ContainerStatus => {
    const status = regular.get(c.name) as MutableStatus;
    applyProbes(status, c, inputs.probes);
    return status;
  }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const initContainerStatuses = initContainers.map((c): ContainerStatus => {
    const status = init.get(c.name) as MutableStatus;
    if (isRestartableInitContainer(c)) {
      applyProbes(status, c, inputs.probes);
    } else {
      status.started = status.state?.running !== undefined && (c.startupProbe === undefined || verdict(inputs.probes?.startup, containerIdOf(status)) === 'success');
      if (status.state?.terminated?.exitCode === 0) status.ready = true;
    }
    return status;
  });
  return { containerStatuses, initContainerStatuses };
}

