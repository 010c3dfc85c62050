/**
 * The CRI sandbox config of a pod (upstream `generatePodSandboxConfig`): identity and
 * attempt, hostname, log directory, DNS, host ports, labels and annotations, and the
 * Linux namespaces and pod-level security settings.
 */
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { DnsConfig, NamespaceOption, PodSandboxConfig, PortMapping, Protocol } from '../runtime/cri/types.js';
import { sandboxAnnotations, sandboxLabels } from './runtimeLabels.js';

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

/** The sandbox config of `pod` for sandbox attempt `attempt`, with resolver settings `dns` (see dnsConfig.ts). */
export function podSandboxConfig(pod: Pod, attempt: number, dataDir: string, dns: DnsConfig): PodSandboxConfig {
  const m = pod.metadata ?? {};
  const security = pod.spec?.securityContext;
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
      securityContext: {
        namespaceOptions: podNamespaceOptions(pod),
        ...(security?.runAsUser !== undefined ? { runAsUser: { value: security.runAsUser } } : {}),
        ...(security?.runAsGroup !== undefined ? { runAsGroup: { value: security.runAsGroup } } : {}),
        ...(security?.supplementalGroups !== undefined ? { supplementalGroups: [...security.supplementalGroups] } : {}),
      },
      ...(security?.sysctls !== undefined ? { sysctls: Object.fromEntries(security.sysctls.map((s) => [s.name, s.value])) } : {}),
    },
  };
}
