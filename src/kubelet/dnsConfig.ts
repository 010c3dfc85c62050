/**
 * A sandbox's resolver settings from the pod's dnsPolicy, as upstream's kubelet
 * (pkg/kubelet/network/dns) builds them. Until k8ts has a cluster DNS server,
 * ClusterFirst uses the host's nameservers with the cluster search path.
 */
import { readFile } from 'node:fs/promises';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { DnsConfig } from '../runtime/cri/types.js';

/** The host's resolver settings (resolv.conf). */
export interface HostResolver {
  servers: string[];
  searches: string[];
  options: string[];
}

/** Parses resolv.conf text: nameserver, search/domain and options lines. */
export function parseResolvConf(text: string): HostResolver {
  const resolver: HostResolver = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const fields = raw.replace(/[#;].*$/, '').trim().split(/\s+/).filter((f) => f !== '');
    const [keyword, ...rest] = fields;
    if (keyword === 'nameserver' && rest[0] !== undefined) resolver.servers.push(rest[0]);
    else if (keyword === 'search' || keyword === 'domain') resolver.searches = rest;
    else if (keyword === 'options') resolver.options.push(...rest);
  }
  return resolver;
}

/** Reads the host's resolver from `path` (an empty one when the file is missing). */
export async function readHostResolver(path = '/etc/resolv.conf'): Promise<HostResolver> {
  try {
    return parseResolvConf(await readFile(path, 'utf8'));
  } catch {
    return { servers: [], searches: [], options: [] };
  }
}

/** The cluster domain k8ts uses. */
export const CLUSTER_DOMAIN = 'cluster.local';

/**
 * The DNS config of `pod`'s sandbox: `Default` (and ClusterFirst on the host network)
 * takes the host's resolver; `ClusterFirst` (the API default) and
 * `ClusterFirstWithHostNet` take its nameservers with the search path
 * `<ns>.svc.cluster.local svc.cluster.local cluster.local` plus the host's, and ndots:5;
 * `None` starts empty. `spec.dnsConfig` is merged in as upstream does.
 */
export function podDnsConfig(pod: Pod, host: HostResolver): DnsConfig {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const hostNetwork = pod.spec?.hostNetwork === true;
  let config: Required<DnsConfig>;
  if (policy === 'None') {
    config = { servers: [], searches: [], options: [] };
  } else if (policy === 'Default' || (policy === 'ClusterFirst' && hostNetwork)) {
    config = { servers: [...host.servers], searches: [...host.searches], options: [...host.options] };
  } else {
    const namespace = pod.metadata?.namespace ?? 'default';
    const cluster = [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
    config = { servers: [...host.servers], searches: [...cluster, ...host.searches.filter((s) => !cluster.includes(s))], options: ['ndots:5'] };
  }
  const extra = pod.spec?.dnsConfig;
  if (extra !== undefined) {
    for (const server of extra.nameservers ?? []) if (!config.servers.includes(server)) config.servers.push(server);
    for (const search of extra.searches ?? []) if (!config.searches.includes(search)) config.searches.push(search);
    for (const option of extra.options ?? []) {
      const text = option.value === undefined ? option.name ?? '' : `${option.name ?? ''}:${option.value}`;
      config.options = config.options.filter((o) => o.split(':')[0] !== option.name);
      config.options.push(text);
    }
  }
  return config;
}
