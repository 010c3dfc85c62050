/**
 * Pod sysctls as upstream's kubelet admits them (pkg/kubelet/sysctl): only the safe
 * set is allowed (no unsafe sysctls are configured), a network sysctl not with
 * hostNetwork and an IPC one not with hostIPC. A pod asking for anything else is
 * rejected with reason SysctlForbidden.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';

/** The reason of a pod rejected for its sysctls. */
export const SYSCTL_FORBIDDEN_REASON = 'SysctlForbidden';

/** The safe sysctls and the namespace each lives in. */
const SAFE_SYSCTLS: ReadonlyMap<string, 'ipc' | 'net'> = new Map([
  ['kernel.shm_rmid_forced', 'ipc'],
  ['net.ipv4.ip_local_port_range', 'net'],
  ['net.ipv4.tcp_syncookies', 'net'],
  ['net.ipv4.ping_group_range', 'net'],
  ['net.ipv4.ip_unprivileged_port_start', 'net'],
  ['net.ipv4.ip_local_reserved_ports', 'net'],
  ['net.ipv4.tcp_keepalive_time', 'net'],
  ['net.ipv4.tcp_fin_timeout', 'net'],
  ['net.ipv4.tcp_keepalive_intvl', 'net'],
  ['net.ipv4.tcp_keepalive_probes', 'net'],
  ['net.ipv4.tcp_rmem', 'net'],
  ['net.ipv4.tcp_wmem', 'net'],
]);

/**
 * A sysctl name in dot form: a name using `/` as separator has its `/` and `.`
 * swapped (upstream `NormalizeName`), so `net/ipv4/conf/eth0.100/rp_filter` becomes
 * `net.ipv4.conf.eth0/100.rp_filter`.
 */
export function normalizeSysctlName(name: string): string {
  const separator = name.search(/[./]/);
  if (separator < 0 || name[separator] === '.') return name;
  return name.replace(/[./]/g, (c) => (c === '/' ? '.' : '/'));
}

/** Why `pod`'s sysctls are refused (upstream's message after "forbidden sysctl: "), or undefined when they are allowed. */
export function forbiddenSysctl(pod: Pod): string | undefined {
  for (const sysctl of pod.spec?.securityContext?.sysctls ?? []) {
    const name = normalizeSysctlName(sysctl.name);
    const namespace = SAFE_SYSCTLS.get(name);
    if (namespace === undefined) return `"${name}" not allowlisted`;
    if (namespace === 'net' && pod.spec?.hostNetwork === true) return `"${name}" not allowed with host net enabled`;
    if (namespace === 'ipc' && pod.spec?.hostIPC === true) return `"${name}" not allowed with host ipc enabled`;
  }
  return undefined;
}

/** The rejection of `pod` for its sysctls (reason and message as upstream's admission), or undefined when it is admitted. */
export function sysctlRejection(pod: Pod): { reason: string; message: string } | undefined {
  const forbidden = forbiddenSysctl(pod);
  return forbidden === undefined ? undefined : { reason: SYSCTL_FORBIDDEN_REASON, message: `forbidden sysctl: ${forbidden}` };
}
