/**
 * The CRI sandbox config of a pod (upstream `generatePodSandboxConfig`): identity and
 * attempt, hostname, log directory, DNS, host ports, labels and annotations, and the
 * Linux namespaces and pod-level security settings, the pod's cgroup and sysctls.
 */
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { DnsConfig, LinuxSandboxSecurityContext, NamespaceOption, PodSandboxConfig, PortMapping, Protocol } from '../runtime/cri/types.js';
import { sandboxAnnotations, sandboxLabels } from './runtimeLabels.js';
import { podSupplementalGroups } from './security/groups.js';
import { seccompProfile } from './security/seccomp.js';
import { normalizeSysctlName } from './security/sysctls.js';

/** The pod's log directory, as upstream's /var/log/pods layout: `<root>/pods/<ns>_<name>_<uid>`. */
export function podLogDirectory(dataDir: string, pod: Pod): string {
  const m = pod.metadata ?? {};
  return join(dataDir, 'pods', `${m.namespace ?? ''}_${m.name ?? ''}_${m.uid ?? ''}`);
}

/** The Linux namespaces of the pod's sandbox and containers. */
export function podNamespaceOptions(pod: Pod): NamespaceOption {
  return {
    network: pod.spec?.hostNetwork === true ? 'NODE' : 'POD',
    pid: pod.spec?.hostPID === true ? 'NODE' : pod.spec?.shareProcessNamespace === true ? 'POD' : 'CONTAINER',
    ipc: pod.spec?.hostIPC === true ? 'NODE' : 'POD',
  };
}

/** The pod's hostname: spec.hostname, else the name cut to 63 characters (no trailing `-` or `.`). */
export function podHostname(pod: Pod): string {
  const name = pod.spec?.hostname ?? pod.metadata?.name ?? '';
  return name.length <= 63 ? name : name.slice(0, 63).replace(/[-.]+$/, '');
}

function hostPorts(pod: Pod): PortMapping[] {
  const mappings: PortMapping[] = [];
  for (const container of pod.spec?.containers ?? []) {
    for (const port of container.ports ?? []) {
      if ((port.hostPort ?? 0) <= 0) continue;
      mappings.push({
        protocol: (port.protocol ?? 'TCP') as Protocol,
        containerPort: port.containerPort,
        hostPort: port.hostPort,
        ...(port.hostIP !== undefined ? { hostIp: port.hostIP } : {}),
      });
    }
  }
  return mappings;
}

/** Where Localhost seccomp profiles live: `<dataDir>/seccomp` (upstream `<root-dir>/seccomp`). */
export function seccompProfileRoot(dataDir: string): string {
  return join(dataDir, 'seccomp');
}

/** Whether any container or init container of `pod` is privileged (the sandbox is then privileged too). */
function hasPrivilegedContainer(pod: Pod): boolean {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].some((c) => c.securityContext?.privileged === true);
}

/** The sandbox's security context: namespaces, pod user, group and supplemental groups (fsGroup first), privilege, seccomp. */
function sandboxSecurityContext(pod: Pod, dataDir: string): LinuxSandboxSecurityContext {
  const security = pod.spec?.securityContext;
  const groups = podSupplementalGroups(pod);
  return {
    namespaceOptions: podNamespaceOptions(pod),
    ...(security?.runAsUser !== undefined ? { runAsUser: { value: security.runAsUser } } : {}),
    ...(security?.runAsGroup !== undefined ? { runAsGroup: { value: security.runAsGroup } } : {}),
    ...(groups !== undefined ? { supplementalGroups: groups } : {}),
    privileged: hasPrivilegedContainer(pod),
    seccomp: seccompProfile(seccompProfileRoot(dataDir), security),
  };
}

/**
 * The sandbox config of `pod` for sandbox attempt `attempt`, with resolver settings
 * `dns` (see dnsConfig.ts), placed in cgroup `cgroupParent` (the pod's cgroup) when given. Sysctl names are passed in dot form.
 */
export function podSandboxConfig(pod: Pod, attempt: number, dataDir: string, dns: DnsConfig, cgroupParent?: string): PodSandboxConfig {
  const m = pod.metadata ?? {};
  const sysctls = pod.spec?.securityContext?.sysctls;
  const hostNetwork = pod.spec?.hostNetwork === true;
  return {
    metadata: { name: m.name ?? '', namespace: m.namespace ?? '', uid: m.uid ?? '', attempt },
    ...(hostNetwork ? {} : { hostname: podHostname(pod) }),
    logDirectory: podLogDirectory(dataDir, pod),
    dnsConfig: dns,
    portMappings: hostPorts(pod),
    labels: sandboxLabels(pod),
    annotations: sandboxAnnotations(pod),
    linux: {
      ...(cgroupParent !== undefined ? { cgroupParent } : {}),
      securityContext: sandboxSecurityContext(pod, dataDir),
      ...(sysctls !== undefined ? { sysctls: Object.fromEntries(sysctls.map((s) => [normalizeSysctlName(s.name), s.value])) } : {}),
    },
  };
}
