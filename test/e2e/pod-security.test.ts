/**
 * e2e: pod and container securityContext as the kubelet hands it to the runtime —
 * runAsNonRoot refusal, user and groups seen by `id` and on volume files, capabilities
 * in CapEff, seccomp modes, a read-only root filesystem, and sysctls (a safe one
 * applied, an unsafe one rejected) — with the real kubectl against a real k8ts server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { startCluster } from '../support/cluster.js';
import { busyboxPod, manifest } from '../support/manifests.js';
import { pollUntil } from '../support/poll.js';

/** A busybox pod on `node` running `script` (restartPolicy Never, 1s grace), with pod-level `spec` and the container's `container` fields merged in. */
function podManifest(name: string, node: string, script: string, spec: Partial<PodSpec> = {}, container: Partial<Container> = {}): string {
  return manifest(busyboxPod(name, node, { script, container, spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, ...spec } }));
}

describe('kubectl: pod security contexts', () => {
  let cluster: TestCluster;
  let node = '';
  const k = bindKubectl(() => cluster, 'kubectl');
  const field = (name: string, path: string): Promise<string> => k.ok(['get', 'pod', name, '-o', `jsonpath={${path}}`]);
  const running = (name: string): Promise<string> => pollUntil(`pod ${name} running`, async () => ((await field(name, '.status.phase')) === 'Running' ? 'ok' : undefined), 60_000);
  const exec = async (name: string, script: string): Promise<string> => (await k.ok(['exec', name, '--', 'sh', '-c', script])).trimEnd();
  const start = async (name: string, spec: Partial<PodSpec> = {}, container: Partial<Container> = {}): Promise<void> => {
    await k.ok(['apply', '-f', '-'], { input: podManifest(name, node, 'sleep 3600', spec, container) });
    await running(name);
  };

  before(async () => {
    cluster = await startCluster();
    node = await pollUntil('the node', async () => (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])) || undefined);
  });
  after(async () => {
    await k.run(['delete', 'pods', '--all', '--wait=true', '--timeout=60s']).catch(() => undefined);
    await cluster.stop();
  });

  test('runAsNonRoot with a root image is refused with CreateContainerConfigError', async () => {
    await k.ok(['apply', '-f', '-'], { input: podManifest('nonroot', node, 'sleep 3600', { securityContext: { runAsNonRoot: true } }) });
    const waiting = await pollUntil('the config error', async () => {
      const raw = await field('nonroot', '.status.containerStatuses[0].state.waiting');
      const state = raw === '' ? undefined : (JSON.parse(raw) as { reason?: string; message?: string });
      return state?.reason === 'CreateContainerConfigError' ? state : undefined;
    }, 60_000);
    const uid = await field('nonroot', '.metadata.uid');
    assert.equal(waiting.message, `container has runAsNonRoot and image will run as root (pod: "nonroot_default(${uid})", container: main)`);
  });

  test('runAsUser, runAsGroup, supplementalGroups and fsGroup show in id and on volume files', async () => {
    await start('ids', {
      securityContext: { runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [4000], fsGroup: 2000 },
      volumes: [{ name: 'scratch', emptyDir: {} }],
    }, { volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] });
    assert.equal(await exec('ids', 'id -u; id -g'), '1000\n3000');
    assert.deepEqual((await exec('ids', 'id -G')).split(' ').sort(), ['2000', '3000', '4000']);
    assert.equal(await exec('ids', 'touch /scratch/f && stat -c "%u %g" /scratch/f && stat -c "%g" /scratch'), '1000 2000\n2000');
  });

  test('capabilities: drop ALL, add NET_ADMIN leaves only CAP_NET_ADMIN effective', async () => {
    await start('caps', {}, { securityContext: { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } } });
    const capEff = (await exec('caps', 'grep CapEff /proc/1/status')).split(/\s+/)[1];
    assert.equal(BigInt(`0x${capEff}`), 1n << 12n);
  });

  test('seccomp: RuntimeDefault filters (Seccomp: 2), Unconfined does not (Seccomp: 0)', async () => {
    await start('sc-default', { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } });
    await start('sc-unconfined', {}, { securityContext: { seccompProfile: { type: 'Unconfined' } } });
    assert.equal(await exec('sc-default', 'grep "^Seccomp:" /proc/self/status'), 'Seccomp:\t2');
    assert.equal(await exec('sc-unconfined', 'grep "^Seccomp:" /proc/self/status'), 'Seccomp:\t0');
  });

  test('readOnlyRootFilesystem: writing to / fails', async () => {
    await start('readonly', {}, { securityContext: { readOnlyRootFilesystem: true } });
    const result = await k.run(['exec', 'readonly', '--', 'sh', '-c', 'touch /newfile']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr + result.stdout, /Read-only file system/);
  });

  test('a safe sysctl is applied; an unsafe one rejects the pod with SysctlForbidden', async () => {
    await start('sysctl-safe', { securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }] } });
    assert.equal(await exec('sysctl-safe', 'cat /proc/sys/net/ipv4/ip_unprivileged_port_start'), '80');

    await k.ok(['apply', '-f', '-'], { input: podManifest('sysctl-unsafe', node, 'sleep 3600', { securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '65536' }] } }) });
    await pollUntil('the rejection', async () => ((await field('sysctl-unsafe', '.status.phase')) === 'Failed' ? true : undefined), 60_000);
    assert.equal(await field('sysctl-unsafe', '.status.reason'), 'SysctlForbidden');
    assert.equal(await field('sysctl-unsafe', '.status.message'), 'Pod was rejected: forbidden sysctl: "kernel.msgmax" not allowlisted');
  });
});
