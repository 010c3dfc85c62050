/**
 * A sandbox's resolver settings from the pod's dnsPolicy, as upstream's kubelet
 * (pkg/kubelet/network/dns) builds them: the cluster DNS for ClusterFirst pods when
 * the kubelet has one (`--cluster-dns`), the host's resolv.conf otherwise, then
 * `spec.dnsConfig` merged in and the result cut to the resolver's limits. What upstream
 * reports as events (MissingClusterDNS, DNSConfigForming) is returned for the caller to record.
 */
import { readFile } from 'node:fs/promises';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { DnsConfig } from '../runtime/cri/types.js';
import { formatPod } from './pod/podHelpers.js';

/** The host's resolver settings (resolv.conf). */
export interface HostResolver {
  servers: string[];
  searches: string[];
  options: string[];
}

/** The kubelet's DNS settings: the host's resolver, the cluster DNS server IPs and the cluster domain. */
export interface KubeletDns {
  host: HostResolver;
  /** `--cluster-dns`: empty when the cluster has no DNS service (ClusterFirst then falls back to Default). */
  clusterDNS: readonly string[];
  /** `--cluster-domain`, e.g. cluster.local. */
  clusterDomain: string;
}

/** A Warning event about the pod that forming its DNS config calls for. */
export interface DnsWarning {
  reason: 'MissingClusterDNS' | 'DNSConfigForming';
  message: string;
}

/** The cluster domain when `--cluster-domain` is not given. */
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

/** Upstream's resolver limits (validation.MaxDNSNameservers, MaxDNSSearchPaths, MaxDNSSearchListChars). */
export const DNS_LIMITS = { nameservers: 3, searchPaths: 32, searchListChars: 2048, searchDomainChars: 253 } as const;

/**
 * Parses resolv.conf text as upstream does: whole-line `#`/`;` comments are skipped,
 * every `nameserver` adds a server, the last `search` line wins (trailing dots and a
 * lone `.` dropped), `options` accumulate with a later option replacing one of the same name.
 */
export function parseResolvConf(text: string): HostResolver {
  const resolver: HostResolver = { servers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.startsWith(';')) continue;
    const [keyword, ...rest] = line.trim().split(/\s+/).filter((f) => f !== '');
    if (keyword === 'nameserver' && rest[0] !== undefined) resolver.servers.push(rest[0]);
    else if (keyword === 'search') resolver.searches = rest.filter((s) => s !== '.').map((s) => s.replace(/\.$/, ''));
    else if (keyword === 'options') resolver.options = mergeOptions(resolver.options, rest);
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

function optionName(option: string): string {
  const colon = option.indexOf(':');
  return colon === -1 ? option : option.slice(0, colon);
}

/** `options` with each of `added` replacing an option of the same name in place, or appended. */
function mergeOptions(options: readonly string[], added: readonly string[]): string[] {
  const merged = [...options];
  for (const option of added) {
    const index = merged.findIndex((o) => optionName(o) === optionName(option));
    if (index === -1) merged.push(option);
    else merged[index] = option;
  }
  return merged;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

type Resolution = 'none' | 'cluster' | 'host';

/** Upstream's pod DNS type: ClusterFirst on the host network behaves as Default. */
function resolution(pod: Pod): Resolution {
  switch (pod.spec?.dnsPolicy ?? 'ClusterFirst') {
    case 'None': return 'none';
    case 'ClusterFirstWithHostNet': return 'cluster';
    case 'Default': return 'host';
    default: return pod.spec?.hostNetwork === true ? 'host' : 'cluster';
  }
}

/** `searches` within the limits: at most 32 paths, none over 253 characters, at most 2048 characters joined. */
function fitSearches(searches: readonly string[]): { searches: string[]; cut: boolean } {
  let fitted = searches.slice(0, DNS_LIMITS.searchPaths);
  let cut = fitted.length < searches.length;
  const short = fitted.filter((s) => s.length <= DNS_LIMITS.searchDomainChars);
  cut ||= short.length < fitted.length;
  fitted = short;
  while (fitted.join(' ').length > DNS_LIMITS.searchListChars) {
    fitted = fitted.slice(0, -1);
    cut = true;
  }
  return { searches: fitted, cut };
}

/**
 * The DNS config of `pod`'s sandbox and the warnings to record about it:
 * `None` starts empty; `Default` (and `ClusterFirst` on the host network) takes the
 * host's resolver; `ClusterFirst` and `ClusterFirstWithHostNet` take the cluster DNS
 * servers, the search path `<ns>.svc.<domain> svc.<domain> <domain>` then the host's,
 * and `ndots:5` — or, with no cluster DNS configured, fall back to the host's resolver
 * with a MissingClusterDNS warning. `spec.dnsConfig` nameservers and searches are
 * appended (duplicates dropped) and its options replace same-named ones; more than 3
 * nameservers or a search list over its limits is cut with a DNSConfigForming warning.
 */
export function podDnsConfig(pod: Pod, dns: KubeletDns): { config: Required<DnsConfig>; warnings: DnsWarning[] } {
  const warnings: DnsWarning[] = [];
  const host = dns.host;
  let config: Required<DnsConfig> = { servers: [...host.servers], searches: [...host.searches], options: [...host.options] };
  const kind = resolution(pod);
  if (kind === 'none') {
    config = { servers: [], searches: [], options: [] };
  } else if (kind === 'cluster' && dns.clusterDNS.length > 0) {
    const domain = dns.clusterDomain;
    const clusterSearches = domain === '' ? [] : [`${pod.metadata?.namespace ?? ''}.svc.${domain}`, `svc.${domain}`, domain];
    config = { servers: [...dns.clusterDNS], searches: unique([...clusterSearches, ...host.searches]), options: ['ndots:5'] };
  } else if (kind === 'cluster') {
    warnings.push({
      reason: 'MissingClusterDNS',
      message: `pod: "${formatPod(pod)}". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.`,
    });
  }
  const extra = pod.spec?.dnsConfig;
  if (extra !== undefined && extra !== null) {
    config.servers = unique([...config.servers, ...(extra.nameservers ?? [])]);
    config.searches = unique([...config.searches, ...(extra.searches ?? [])]);
    config.options = mergeOptions(config.options, (extra.options ?? []).map((o) => (o.value ? `${o.name ?? ''}:${o.value}` : o.name ?? '')));
  }
  if (config.servers.length > DNS_LIMITS.nameservers) {
    config.servers = config.servers.slice(0, DNS_LIMITS.nameservers);
    warnings.push({ reason: 'DNSConfigForming', message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${config.servers.join(' ')}` });
  }
  const fitted = fitSearches(config.searches);
  config.searches = fitted.searches;
  if (fitted.cut) {
    warnings.push({ reason: 'DNSConfigForming', message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${config.searches.join(' ')}` });
  }
  return { config, warnings };
}
