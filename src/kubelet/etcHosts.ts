/**
 * The kubelet-managed /etc/hosts of a pod (upstream format): a header, the localhost
 * entries, one line per pod IP naming the pod's hostname (its FQDN
 * `<hostname>.<subdomain>.<namespace>.svc.<clusterDomain>` first when it has a
 * subdomain), then the pod's hostAliases. Written to `<podDir>/etc-hosts` and bound into
 * every container that does not mount /etc/hosts itself; hostNetwork pods keep the
 * host's file.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { Mount } from '../runtime/cri/types.js';
import { podHostname } from './sandboxConfig.js';

/** The cluster's DNS domain. */
export const CLUSTER_DOMAIN = 'cluster.local';

const ETC_HOSTS = '/etc/hosts';

const LOCALHOST_ENTRIES = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'fe00::0\tip6-mcastprefix',
  'fe00::1\tip6-allnodes',
  'fe00::2\tip6-allrouters',
];

/** The text of `pod`'s /etc/hosts for its IPs `podIPs`. */
export function etcHostsContent(pod: Pod, podIPs: readonly string[]): string {
  const hostname = podHostname(pod);
  const subdomain = pod.spec?.subdomain;
  const names = subdomain ? [`${hostname}.${subdomain}.${pod.metadata?.namespace ?? ''}.svc.${CLUSTER_DOMAIN}`, hostname] : [hostname];
  const lines = ['# Kubernetes-managed hosts file.', ...LOCALHOST_ENTRIES, ...podIPs.map((ip) => [ip, ...names].join('\t'))];
  const aliases = pod.spec?.hostAliases ?? [];
  if (aliases.length > 0) {
    lines.push('', '# Entries added by HostAliases.');
    for (const alias of aliases) lines.push([alias.ip ?? '', ...(alias.hostnames ?? [])].join('\t'));
  }
  return `${lines.join('\n')}\n`;
}

/** Whether the kubelet manages /etc/hosts of `container`: not for hostNetwork pods or a container mounting /etc/hosts itself. */
export function managesEtcHosts(pod: Pod, container: Container): boolean {
  if (pod.spec?.hostNetwork === true) return false;
  return !(container.volumeMounts ?? []).some((m) => m.mountPath === ETC_HOSTS);
}

/** Writes `pod`'s /etc/hosts under `podDir` and returns its mount; undefined for hostNetwork pods or pods without IPs. */
export async function writeEtcHosts(podDir: string, pod: Pod, podIPs: readonly string[]): Promise<Mount | undefined> {
  if (pod.spec?.hostNetwork === true || podIPs.length === 0) return undefined;
  const hostPath = join(podDir, 'etc-hosts');
  await writeFile(hostPath, etcHostsContent(pod, podIPs), { mode: 0o644 });
  return { containerPath: ETC_HOSTS, hostPath, readonly: false, selinuxRelabel: false, propagation: 'PROPAGATION_PRIVATE' };
}
