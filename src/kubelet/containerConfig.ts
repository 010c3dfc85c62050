/**
 * The CRI config of one container (upstream `generateContainerConfig`): command and
 * args with `$(VAR)` expanded, environment, working dir, log path, labels and
 * annotations, cgroup resources and the Linux security context. Refuses, as
 * CreateContainerConfigError, a runAsNonRoot container that would run as root.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { parseQuantity } from '../api/quantity.js';
import type { ContainerConfig, Image, LinuxContainerResources, LinuxContainerSecurityContext, Mount } from '../runtime/cri/types.js';
import { expandVariables, lookupIn } from './pod/envExpansion.js';
import { formatPod } from './pod/podHelpers.js';
import { containerAnnotations, containerLabels } from './runtimeLabels.js';
import { podNamespaceOptions } from './sandboxConfig.js';

/** The container's config cannot be built: the container waits with CreateContainerConfigError. */
export class ContainerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

/** Upstream's CFS period (100 ms) and minimums. */
const CPU_PERIOD_US = 100_000;
const MIN_CPU_SHARES = 2;
const MIN_CPU_QUOTA_US = 1_000;

function milliCpu(raw: string | number | undefined): number {
  return raw === undefined ? 0 : parseQuantity(String(raw)).milliValue();
}

/**
 * cgroup settings from requests and limits: shares from the cpu request (or the limit
 * when no request; minimum 2), CFS quota from the cpu limit over a 100 ms period
 * (minimum 1 ms), memory limit in bytes.
 */
export function linuxResources(container: Container): LinuxContainerResources {
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  const cpuLimit = milliCpu(limits.cpu);
  const cpuRequest = requests.cpu !== undefined ? milliCpu(requests.cpu) : cpuLimit;
  const resources: LinuxContainerResources = { cpuShares: Math.max(MIN_CPU_SHARES, Math.floor((cpuRequest * 1024) / 1000)) };
  if (cpuLimit > 0) {
    resources.cpuPeriod = CPU_PERIOD_US;
    resources.cpuQuota = Math.max(MIN_CPU_QUOTA_US, Math.floor((cpuLimit * CPU_PERIOD_US) / 1000));
  }
  if (limits.memory !== undefined) resources.memoryLimitInBytes = parseQuantity(String(limits.memory)).value();
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

function securityContext(pod: Pod, container: Container, image: Image | undefined): LinuxContainerSecurityContext {
  const podSecurity = pod.spec?.securityContext;
  const own = container.securityContext;
  const runAsUser = own?.runAsUser ?? podSecurity?.runAsUser;
  const runAsGroup = own?.runAsGroup ?? podSecurity?.runAsGroup;
  verifyNonRoot(pod, container, runAsUser, image);
  const context: LinuxContainerSecurityContext = {
    namespaceOptions: podNamespaceOptions(pod),
    privileged: own?.privileged === true,
    readonlyRootfs: own?.readOnlyRootFilesystem === true,
    noNewPrivs: own?.allowPrivilegeEscalation === false,
  };
  if (runAsUser !== undefined) context.runAsUser = { value: runAsUser };
  if (runAsGroup !== undefined) context.runAsGroup = { value: runAsGroup };
  if (podSecurity?.supplementalGroups !== undefined) context.supplementalGroups = [...podSecurity.supplementalGroups];
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
    linux: { resources: linuxResources(container), securityContext: securityContext(pod, container, inputs.image) },
  };
}
