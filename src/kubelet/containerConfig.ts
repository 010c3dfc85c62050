/**
 * The CRI config of one container (upstream `generateContainerConfig`): command and
 * args with `$(VAR)` expanded, environment, working dir, log path, labels and
 * annotations, cgroup resources and the Linux security context. Refuses, as
 * CreateContainerConfigError, a runAsNonRoot container that would run as root.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { totalmem } from 'node:os';
import type { ContainerConfig, Image, LinuxContainerResources, LinuxContainerSecurityContext, Mount } from '../runtime/cri/types.js';
import { CPU_PERIOD_US, milliCpuToQuota, milliCpuToShares } from './cm/cpu.js';
import { containerOomScoreAdjust } from './cm/oomScore.js';
import { containerLimit, containerRequest } from '../api/podResources.js';
import { expandVariables, lookupIn } from './pod/envExpansion.js';
import { formatPod } from './pod/podHelpers.js';
import { containerAnnotations, containerLabels } from './runtimeLabels.js';
import { podNamespaceOptions } from './sandboxConfig.js';
import { podSupplementalGroups } from './security/groups.js';
import { procMountPaths } from './security/procMount.js';
import { seccompProfile } from './security/seccomp.js';

/** The container's config cannot be built: the container waits with CreateContainerConfigError. */
export class ContainerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

/**
 * cgroup settings from requests and limits: shares from the cpu request (or the limit
 * when no request; minimum 2), CFS quota from the cpu limit over a 100 ms period
 * (minimum 1 ms), memory limit in bytes, and the oom_score_adj of the pod's QoS class.
 */
export function linuxResources(pod: Pod, container: Container, memoryCapacityBytes: number): LinuxContainerResources {
  const cpuLimit = containerLimit(container, 'cpu');
  const resources: LinuxContainerResources = {
    cpuShares: milliCpuToShares(containerRequest(container, 'cpu')),
    oomScoreAdj: containerOomScoreAdjust(pod, container, memoryCapacityBytes),
  };
  if (cpuLimit > 0) {
    resources.cpuPeriod = CPU_PERIOD_US;
    resources.cpuQuota = milliCpuToQuota(cpuLimit);
  }
  const memoryLimit = containerLimit(container, 'memory');
  if (memoryLimit > 0) resources.memoryLimitInBytes = memoryLimit;
  return resources;
}

/** Checks runAsNonRoot against the effective user and the image's user, with upstream's messages. */
function verifyNonRoot(pod: Pod, container: Container, runAsUser: number | undefined, image: Image | undefined): void {
  const nonRoot = container.securityContext?.runAsNonRoot ?? pod.spec?.securityContext?.runAsNonRoot;
  if (nonRoot !== true) return;
  const podName = formatPod(pod);
  if (runAsUser !== undefined) {
    if (runAsUser === 0) throw new ContainerConfigError(`container's runAsUser breaks non-root policy (pod: "${podName}", container: ${container.name})`);
    return;
  }
  const uid = image?.uid;
  if ((uid === null || uid === undefined) && image?.username !== undefined && image.username !== '') {
    throw new ContainerConfigError(`container has runAsNonRoot and image has non-numeric user (${image.username}), cannot verify user is non-root (pod: "${podName}", container: ${container.name})`);
  }
  if (uid === null || uid === undefined || Number(uid.value) === 0) {
    throw new ContainerConfigError(`container has runAsNonRoot and image will run as root (pod: "${podName}", container: ${container.name})`);
  }
}

/**
 * The container's effective security context (upstream `determineEffectiveSecurityContext`):
 * user, group and seccomp from the container or else the pod (user else from the
 * image), capabilities, privileged, read-only root, no_new_privs and procMount from
 * the container, supplemental groups (fsGroup first) from the pod.
 */
function securityContext(pod: Pod, container: Container, inputs: ContainerConfigInputs): LinuxContainerSecurityContext {
  const podSecurity = pod.spec?.securityContext;
  const own = container.securityContext;
  const runAsUser = own?.runAsUser ?? podSecurity?.runAsUser;
  const runAsGroup = own?.runAsGroup ?? podSecurity?.runAsGroup;
  verifyNonRoot(pod, container, runAsUser, inputs.image);
  const context: LinuxContainerSecurityContext = {
    namespaceOptions: podNamespaceOptions(pod),
    privileged: own?.privileged === true,
    readonlyRootfs: own?.readOnlyRootFilesystem === true,
    noNewPrivs: own?.allowPrivilegeEscalation === false,
    seccomp: seccompProfile(inputs.seccompProfileRoot ?? '', podSecurity, own),
    ...procMountPaths(own),
  };
  if (runAsUser !== undefined) context.runAsUser = { value: runAsUser };
  else if (inputs.image?.uid !== undefined && inputs.image.uid !== null) context.runAsUser = { value: Number(inputs.image.uid.value) };
  else if (inputs.image?.username) context.runAsUsername = inputs.image.username;
  if (runAsGroup !== undefined) context.runAsGroup = { value: runAsGroup };
  const groups = podSupplementalGroups(pod);
  if (groups !== undefined) context.supplementalGroups = groups;
  if (own?.capabilities !== undefined) {
    context.capabilities = { addCapabilities: [...(own.capabilities.add ?? [])], dropCapabilities: [...(own.capabilities.drop ?? [])] };
  }
  return context;
}

/** What the container config needs besides the pod and container. */
export interface ContainerConfigInputs {
  /** This instance's restart count (0 for the first). */
  restartCount: number;
  /** The assembled environment, in order. */
  env: readonly { name: string; value: string }[];
  /** The image as the runtime knows it (for runAsNonRoot checks). */
  image: Image | undefined;
  /** Bind mounts (volumes, /etc/hosts, termination message), in order. */
  mounts?: readonly Mount[];
  /** The node's memory in bytes, for oom_score_adj (default: this machine's). */
  memoryCapacityBytes?: number;
  /** Where Localhost seccomp profiles live (the kubelet's `<dataDir>/seccomp`). */
  seccompProfileRoot?: string;
}

/** The CRI config of `container` in `pod`; throws ContainerConfigError for a broken security setup. */
export function containerConfig(pod: Pod, container: Container, inputs: ContainerConfigInputs): ContainerConfig {
  const lookup = lookupIn(new Map(inputs.env.map((e) => [e.name, e.value])));
  const expand = (list: readonly string[] | undefined): string[] => (list ?? []).map((s) => expandVariables(s, lookup));
  return {
    metadata: { name: container.name, attempt: inputs.restartCount },
    image: { image: container.image ?? '' },
    command: expand(container.command),
    args: expand(container.args),
    ...(container.workingDir !== undefined ? { workingDir: container.workingDir } : {}),
    envs: inputs.env.map((e) => ({ key: e.name, value: e.value })),
    ...(inputs.mounts !== undefined ? { mounts: [...inputs.mounts] } : {}),
    labels: containerLabels(pod, container),
    annotations: containerAnnotations(pod, container, inputs.restartCount),
    logPath: `${container.name}/${inputs.restartCount}.log`,
    stdin: container.stdin === true,
    stdinOnce: container.stdinOnce === true,
    tty: container.tty === true,
    linux: { resources: linuxResources(pod, container, inputs.memoryCapacityBytes ?? totalmem()), securityContext: securityContext(pod, container, inputs) },
  };
}
