import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { containerConfig } from '../containerConfig.js';
import { parseResolvConf } from '../dnsConfig.js';
import { podSandboxConfig } from '../sandboxConfig.js';
import { normalizeSysctlName, sysctlRejection } from './sysctls.js';

const host = parseResolvConf('nameserver 192.0.2.53\n');

function pod(spec: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return { metadata: { name: 'web', namespace: 'shop', uid: 'u-1' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } };
}

const inputs = { restartCount: 0, env: [], image: undefined, seccompProfileRoot: '/data/seccomp', memoryCapacityBytes: 1024 ** 3 };

describe('security contexts in CRI configs', () => {
  test('the container overrides the pod for user, group and seccomp; fsGroup leads the supplemental groups', () => {
    const p = pod({ securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000], seccompProfile: { type: 'RuntimeDefault' } } });
    const own = containerConfig(p, { name: 'c', securityContext: { runAsUser: 1001, seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/audit.json' } } }, inputs);
    const context = own.linux?.securityContext;
    assert.deepEqual(context?.runAsUser, { value: 1001 });
    assert.deepEqual(context?.runAsGroup, { value: 3000 });
    assert.deepEqual(context?.supplementalGroups, [2000, 4000]);
    assert.deepEqual(context?.seccomp, { profileType: 'Localhost', localhostRef: '/data/seccomp/profiles/audit.json' });
    const inherited = containerConfig(p, { name: 'c' }, inputs).linux?.securityContext;
    assert.deepEqual(inherited?.seccomp, { profileType: 'RuntimeDefault' });
    assert.deepEqual(containerConfig(pod(), { name: 'c' }, inputs).linux?.securityContext?.seccomp, { profileType: 'Unconfined' });
  });

  test('capabilities, privileged, read-only root, no_new_privs and the default /proc masks', () => {
    const context = containerConfig(pod(), { name: 'c', securityContext: {
      capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
    } }, inputs).linux?.securityContext;
    assert.deepEqual(context?.capabilities, { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] });
    assert.equal(context?.readonlyRootfs, true);
    assert.equal(context?.noNewPrivs, true);
    assert.equal(context?.privileged, false);
    assert.ok(context?.maskedPaths?.includes('/proc/kcore'));
    assert.ok(context?.readonlyPaths?.includes('/proc/sys'));
    const unmasked = containerConfig(pod(), { name: 'c', securityContext: { procMount: 'Unmasked' } }, inputs).linux?.securityContext;
    assert.deepEqual([unmasked?.maskedPaths, unmasked?.readonlyPaths], [[], []]);
  });

  test('without a runAsUser the image user is used: uid, else the user name', () => {
    const image = { id: 'sha256:x', repoTags: [], repoDigests: [], size: '0', pinned: false };
    assert.deepEqual(containerConfig(pod(), { name: 'c' }, { ...inputs, image: { ...image, uid: { value: '65534' }, username: '' } }).linux?.securityContext?.runAsUser, { value: 65534 });
    assert.equal(containerConfig(pod(), { name: 'c' }, { ...inputs, image: { ...image, uid: null, username: 'nobody' } }).linux?.securityContext?.runAsUsername, 'nobody');
  });

  test('sandbox: pod user and groups, privileged when a container is, pod seccomp, cgroup parent, dotted sysctls', () => {
    const p = pod({
      securityContext: { runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net/ipv4/ip_unprivileged_port_start', value: '0' }] },
      containers: [{ name: 'c', securityContext: { privileged: true } }],
    });
    const linux = podSandboxConfig(p, 0, '/data', host, '/k8ts-x/kubepods/besteffort/podu-1').linux;
    assert.equal(linux?.cgroupParent, '/k8ts-x/kubepods/besteffort/podu-1');
    assert.deepEqual(linux?.securityContext?.runAsUser, { value: 1000 });
    assert.deepEqual(linux?.securityContext?.supplementalGroups, [2000]);
    assert.equal(linux?.securityContext?.privileged, true);
    assert.deepEqual(linux?.securityContext?.seccomp, { profileType: 'RuntimeDefault' });
    assert.deepEqual(linux?.sysctls, { 'net.ipv4.ip_unprivileged_port_start': '0' });
  });
});

describe('sysctl admission', () => {
  test('safe sysctls are admitted; others, and net ones with hostNetwork, are forbidden with upstream messages', () => {
    assert.equal(sysctlRejection(pod({ securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }, { name: 'kernel.shm_rmid_forced', value: '1' }] } })), undefined);
    assert.deepEqual(sysctlRejection(pod({ securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] } })),
      { reason: 'SysctlForbidden', message: 'forbidden sysctl: "kernel.msgmax" not allowlisted' });
    assert.deepEqual(sysctlRejection(pod({ hostNetwork: true, securityContext: { sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }] } }))?.message,
      'forbidden sysctl: "net.ipv4.tcp_syncookies" not allowed with host net enabled');
    assert.deepEqual(sysctlRejection(pod({ hostIPC: true, securityContext: { sysctls: [{ name: 'kernel.shm_rmid_forced', value: '1' }] } }))?.message,
      'forbidden sysctl: "kernel.shm_rmid_forced" not allowed with host ipc enabled');
  });

  test('slash-separated names swap their separators', () => {
    assert.equal(normalizeSysctlName('net/ipv4/conf/eth0.100/rp_filter'), 'net.ipv4.conf.eth0/100.rp_filter');
    assert.equal(normalizeSysctlName('net.ipv4.conf.eth0/100.rp_filter'), 'net.ipv4.conf.eth0/100.rp_filter');
  });
});
