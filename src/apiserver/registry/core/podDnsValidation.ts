/**
 * Validation of a pod's dnsPolicy None and spec.dnsConfig (upstream
 * `validatePodDNSConfig`): None needs a dnsConfig with a nameserver; at most 3
 * nameservers, each an IP; at most 32 search paths of at most 2048 characters joined,
 * each a DNS-1123 subdomain (a trailing dot allowed); every option named.
 */
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { isValidIP } from '../../../api/validation/ip.js';
import { isDNS1123Subdomain } from '../../../api/validation/names.js';

/** Upstream's limits on spec.dnsConfig (validation.MaxDNSNameservers, MaxDNSSearchPaths, MaxDNSSearchListChars). */
export const POD_DNS_LIMITS = { nameservers: 3, searchPaths: 32, searchListChars: 2048 } as const;

/** The errors of `spec`'s dnsPolicy None and dnsConfig, under `path` (e.g. `spec`). */
export function validatePodDnsConfig(spec: Pick<PodSpec, 'dnsPolicy' | 'dnsConfig'>, path: string): FieldError[] {
  const at = `${path}.dnsConfig`;
  const config = spec.dnsConfig ?? undefined;
  if (spec.dnsPolicy === 'None') {
    if (config === undefined) return [fieldError.required(at, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if ((config.nameservers ?? []).length === 0) return [fieldError.required(`${at}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (config === undefined) return [];
  const errs: FieldError[] = [];
  const nameservers = config.nameservers ?? [];
  if (nameservers.length > POD_DNS_LIMITS.nameservers) {
    errs.push(fieldError.invalid(`${at}.nameservers`, nameservers, `must not have more than ${POD_DNS_LIMITS.nameservers} nameservers`));
  }
  nameservers.forEach((server, i) => errs.push(...isValidIP(server).map((m) => fieldError.invalid(`${at}.nameservers[${i}]`, server, m))));
  const searches = config.searches ?? [];
  if (searches.length > POD_DNS_LIMITS.searchPaths) {
    errs.push(fieldError.invalid(`${at}.searches`, searches, `must not have more than ${POD_DNS_LIMITS.searchPaths} search paths`));
  }
  if (searches.join(' ').length > POD_DNS_LIMITS.searchListChars) {
    errs.push(fieldError.invalid(`${at}.searches`, searches, `must not have more than ${POD_DNS_LIMITS.searchListChars} characters (including spaces) in the search list`));
  }
  searches.forEach((search, i) => {
    const domain = search.replace(/\.$/, '');
    errs.push(...isDNS1123Subdomain(domain).map((m) => fieldError.invalid(`${at}.searches[${i}]`, domain, m)));
  });
  (config.options ?? []).forEach((option, i) => {
    if (!option.name) errs.push(fieldError.required(`${at}.options[${i}]`, 'must not be empty'));
  });
  return errs;
}
