/**
 * The kubelet-managed /etc/hosts of a pod (upstream format). A pod on the pod network
 * gets a header, the localhost entries, one line per pod IP naming the pod's hostname
 * (`<hostname>.<subdomain>.<namespace>.svc.<clusterDomain>` first when it has a
 * subdomain), then its hostAliases. A hostNetwork pod gets the node's /etc/hosts under
 * its own header, then its hostAliases. Written to `<podDir>/etc-hosts` and bound into
 * every container that does not mount /etc/hosts itself.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container, HostAlias, Pod } from 'kubernetes-types/core/v1.js';
import type { Mount } from '../runtime/cri/types.js';
import { podHostname } from './sandboxConfig.js';

const ETC_HOSTS = '/etc/hosts';

const LOCALHOST_ENTRIES = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'fe00::0\tip6-mcastprefix',
  'fe00::1\tip6-allnodes',
  'fe00::2\tip6-allrouters',
];

/** The hostAliases block (empty without aliases): a blank line, its header, one `ip<TAB>names…` line per alias. */
function hostAliasesBlock(aliases: readonly HostAlias[]): string {
  if (aliases.length === 0) return '';
  const lines = aliases.map((alias) => [alias.ip ?? '', ...(alias.hostnames ?? [])].join('\t'));
  return `\n# Entries added by HostAliases.\n${lines.join('\n')}\n`;
}

/** The FQDN `<hostname>.<subdomain>.<namespace>.svc.<clusterDomain>` of a pod with a subdomain; undefined without one. */
export function podFqdn(pod: Pod, clusterDomain: string): string | undefined {
  const subdomain = pod.spec?.subdomain;
  return subdomain ? `${podHostname(pod)}.${subdomain}.${pod.metadata?.namespace ?? ''}.svc.${clusterDomain}` : undefined;
}

/** The Linux nodename limit (64 characters) a setHostnameAsFQDN pod's FQDN must fit. */
const MAX_KERNEL_HOSTNAME = 64;

/**
 * The hostname the pod's sandbox gets (upstream `GetNodenameForKernel`): its FQDN when
 * setHostnameAsFQDN is set and it has a subdomain, else its hostname; throws upstream's
 * error when that FQDN is longer than 64 characters.
 */
export function kernelHostname(pod: Pod, clusterDomain: string): string {
  const fqdn = podFqdn(pod, clusterDomain);
  if (pod.spec?.setHostnameAsFQDN !== true || fqdn === undefined) return podHostname(pod);
  if (fqdn.length > MAX_KERNEL_HOSTNAME) {
    throw new Error(`failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (${MAX_KERNEL_HOSTNAME} characters is the max, ${fqdn.length} characters requested)`);
  }
  return fqdn;
}

/** The text of the /etc/hosts of `pod` (on the pod network) with IPs `podIPs` in cluster domain `clusterDomain`. */
export function etcHostsContent(pod: Pod, podIPs: readonly string[], clusterDomain: string): string {
  const hostname = podHostname(pod);
  const fqdn = podFqdn(pod, clusterDomain);
  const names = fqdn !== undefined ? [fqdn, hostname] : [hostname];
  const lines = ['# Kubernetes-managed hosts file.', ...LOCALHOST_ENTRIES, ...podIPs.map((ip) => [ip, ...names].join('\t'))];
  return `${lines.join('\n')}\n${hostAliasesBlock(pod.spec?.hostAliases ?? [])}`;
}

/** The text of the /etc/hosts of hostNetwork `pod`: the node's file `nodeHosts` under its header, then the aliases. */
export function hostNetworkEtcHostsContent(pod: Pod, nodeHosts: string): string {
  return `# Kubernetes-managed hosts file (host network).\n${nodeHosts}${hostAliasesBlock(pod.spec?.hostAliases ?? [])}`;
}

/** Whether the kubelet manages /etc/hosts of `container`: not when it mounts /etc/hosts itself. */
export function managesEtcHosts(container: Container): boolean {
  return !(container.volumeMounts ?? []).some((m) => m.mountPath === ETC_HOSTS);
}

/** Where a pod's /etc/hosts comes from. */
export interface EtcHostsSource {
  /** The pod's IPs (the node's for hostNetwork pods); no file is written without any. */
  podIPs: readonly string[];
  clusterDomain: string;
  /** The node's hosts file, read for hostNetwork pods (default /etc/hosts). */
  nodeHostsPath?: string;
}

/** Writes `pod`'s /etc/hosts under `podDir` and returns its mount; undefined for a pod without IPs. */
export async function writeEtcHosts(podDir: string, pod: Pod, source: EtcHostsSource): Promise<Mount | undefined> {
  if (source.podIPs.length === 0) return undefined;
  const content = pod.spec?.hostNetwork === true
    ? hostNetworkEtcHostsContent(pod, await readFile(source.nodeHostsPath ?? ETC_HOSTS, 'utf8'))
    : etcHostsContent(pod, source.podIPs, source.clusterDomain);
  const hostPath = join(podDir, 'etc-hosts');
  await writeFile(hostPath, content, { mode: 0o644 });
  return { containerPath: ETC_HOSTS, hostPath, readonly: false, selinuxRelabel: false, propagation: 'PROPAGATION_PRIVATE' };
}
