import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { ContainerConfigError, containerConfig, linuxResources } from './containerConfig.js';
import { parseResolvConf } from './dnsConfig.js';
import { effectivePullPolicy } from './imagePuller.js';
import { podSandboxConfig } from './sandboxConfig.js';

const GiB = 1024 ** 3;
const host = parseResolvConf('# comment\nnameserver 192.0.2.53\nsearch corp.example\noptions edns0\n');

function pod(spec: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return { metadata: { name: 'web', namespace: 'shop', uid: 'u-1' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } };
}

describe('CRI configs', () => {
  test('sandbox: identity labels, log directory under <dataDir>/pods/<ns>_<name>_<uid>, hostname', () => {
    const config = podSandboxConfig(pod(), 2, '/data', host);
    assert.equal(config.logDirectory, '/data/pods/shop_web_u-1');
    assert.equal(config.hostname, 'web');
    assert.deepEqual(config.metadata, { name: 'web', namespace: 'shop', uid: 'u-1', attempt: 2 });
    assert.equal(config.labels?.['io.kubernetes.pod.uid'], 'u-1');
  });

  test('resources: cpu shares from the request, CFS quota from the limit, memory limit in bytes', () => {
    const burstable: Container = { name: 'c', resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '500m', memory: '2Gi' } } };
    assert.deepEqual(linuxResources(pod({ containers: [burstable] }), burstable, 4 * GiB), {
      cpuShares: 256, cpuPeriod: 100_000, cpuQuota: 50_000, memoryLimitInBytes: 2 * GiB, oomScoreAdj: 750,
    });
    const bare: Container = { name: 'c' };
    assert.deepEqual(linuxResources(pod({ containers: [bare] }), bare, 4 * GiB), { cpuShares: 2, oomScoreAdj: 1000 });
    const guaranteed: Container = { name: 'c', resources: { limits: { cpu: '1', memory: '16Mi' } } };
    assert.deepEqual(linuxResources(pod({ containers: [guaranteed] }), guaranteed, 4 * GiB), {
      cpuShares: 1024, cpuPeriod: 100_000, cpuQuota: 100_000, memoryLimitInBytes: 16 * 1024 * 1024, oomScoreAdj: -997,
    });
  });

  test('command and args expand $(VAR); restart count names the log file and annotation', () => {
    const p = pod();
    const config = containerConfig(p, { name: 'c', image: 'busybox', command: ['echo', '$(A)'], args: ['$$(A)', '$(MISSING)'] }, {
      restartCount: 3, env: [{ name: 'A', value: 'x' }], image: undefined,
    });
    assert.deepEqual(config.command, ['echo', 'x']);
    assert.deepEqual(config.args, ['$(A)', '$(MISSING)']);
    assert.equal(config.logPath, 'c/3.log');
    assert.equal(config.annotations?.['io.kubernetes.container.restartCount'], '3');
    assert.equal(config.labels?.['io.kubernetes.container.name'], 'c');
  });

  test('runAsNonRoot refuses root with upstream messages', () => {
    const p = pod({ securityContext: { runAsNonRoot: true } });
    assert.throws(() => containerConfig(p, { name: 'c', securityContext: { runAsUser: 0 } }, { restartCount: 0, env: [], image: undefined }),
      new ContainerConfigError('container\'s runAsUser breaks non-root policy (pod: "web_shop(u-1)", container: c)'));
    const rootImage = { id: 'sha256:x', repoTags: [], repoDigests: [], size: '0', uid: { value: '0' }, username: '', pinned: false };
    assert.throws(() => containerConfig(p, { name: 'c' }, { restartCount: 0, env: [], image: rootImage }),
      new ContainerConfigError('container has runAsNonRoot and image will run as root (pod: "web_shop(u-1)", container: c)'));
    const config = containerConfig(p, { name: 'c', securityContext: { runAsUser: 1000 } }, { restartCount: 0, env: [], image: rootImage });
    assert.deepEqual(config.linux?.securityContext?.runAsUser, { value: 1000 });
  });

  test('pull policy defaults: Always for :latest or no tag, IfNotPresent otherwise', () => {
    assert.equal(effectivePullPolicy({ name: 'c', image: 'busybox' }), 'Always');
    assert.equal(effectivePullPolicy({ name: 'c', image: 'registry:5000/busybox:1.36' }), 'IfNotPresent');
    assert.equal(effectivePullPolicy({ name: 'c', image: 'busybox:latest', imagePullPolicy: 'Never' }), 'Never');
  });
});
