/**
 * e2e: images as users expect them, offline and with registries. A password-protected
 * docker-registry on 127.0.0.1 holds busybox under a new name; against a real
 * `k8ts server`, a pod with a docker-registry imagePullSecret pulls it and runs, a pod
 * without one fails with ErrImagePull / ImagePullBackOff and upstream's message, and
 * `kubectl run --image=busybox` (pull policy Always) runs offline from the node's own
 * mirror of its base images.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { busyboxImage } from '../../src/runtime/images/baseImages.js';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { startCluster } from '../support/cluster.js';
import { pollUntil } from '../support/poll.js';
import { busyboxPod, manifest } from '../support/manifests.js';
import type { TestRegistry } from '../support/registry.js';
import { startRegistry } from '../support/registry.js';

interface ContainerStatusJson {
  state: { running?: object; waiting?: { reason?: string; message?: string } };
}

interface PodJson {
  spec: { containers: { imagePullPolicy?: string }[] };
  status: { phase: string; containerStatuses?: ContainerStatusJson[] };
}

/** A pod on `node` sleeping in `image` (pull policy Always, 1s grace), pulled with the secret `pullSecret` if given. */
function podManifest(name: string, node: string, image: string, pullSecret?: string): string {
  const imagePullSecrets = pullSecret !== undefined ? { imagePullSecrets: [{ name: pullSecret }] } : {};
  return manifest(busyboxPod(name, node, { container: { image, imagePullPolicy: 'Always' }, spec: { terminationGracePeriodSeconds: 1, ...imagePullSecrets } }));
}

describe('image pulls: registries with pull secrets, and offline base images', () => {
  let cluster: TestCluster;
  let registry: TestRegistry;
  let node = '';
  let image = '';
  const k = bindKubectl(() => cluster, 'kubectl');
  const pod = async (name: string): Promise<PodJson> => JSON.parse(await k.ok(['get', 'pod', name, '-o', 'json'])) as PodJson;
  const podWhen = async (name: string, what: string, ok: (p: PodJson) => boolean): Promise<PodJson> => {
    let last: PodJson | undefined;
    try {
      return await pollUntil(`pod ${name} ${what}`, async () => {
        last = await pod(name);
        return ok(last) ? last : undefined;
      }, 90_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}; last status: ${JSON.stringify(last?.status)}`);
    }
  };

  before(async () => {
    registry = await startRegistry();
    const workDir = await mkdtemp(join(tmpdir(), 'k8ts-image-'));
    try {
      const archive = await busyboxImage.build(join(workDir, 'busybox.tar'));
      await registry.push(archive.path, 'team/tiny:v1');
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
    image = `${registry.host}/team/tiny:v1`;
    cluster = await startCluster();
    node = await pollUntil('the node', async () => (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])) || undefined);
  });
  after(async () => {
    await cluster?.stop();
    await registry?.stop();
  });

  test('a pod with a docker-registry pull secret pulls from the private registry and runs', async () => {
    await k.ok(['create', 'secret', 'docker-registry', 'regcred', `--docker-server=${registry.host}`, `--docker-username=${registry.username}`, `--docker-password=${registry.password}`]);
    await k.ok(['apply', '-f', '-'], { input: podManifest('private', node, image, 'regcred') });
    await podWhen('private', 'running', (p) => p.status.phase === 'Running');
  });

  test('without the secret the pull is refused: ErrImagePull with upstream\'s message, then ImagePullBackOff', async () => {
    await k.ok(['apply', '-f', '-'], { input: podManifest('anonymous', node, image) });
    const waiting = (p: PodJson): { reason?: string; message?: string } | undefined => p.status.containerStatuses?.[0]?.state.waiting;
    const failed = await podWhen('anonymous', 'ErrImagePull', (p) => waiting(p)?.reason === 'ErrImagePull');
    const message = waiting(failed)?.message ?? '';
    assert.ok(message.startsWith(`Failed to pull image "${image}": rpc error: code = Unknown desc = failed to pull and unpack image "${image}"`), message);
    assert.match(message, /401 Unauthorized|authorization/i);
    const backOff = await podWhen('anonymous', 'ImagePullBackOff', (p) => waiting(p)?.reason === 'ImagePullBackOff');
    assert.equal(waiting(backOff)?.message, `Back-off pulling image "${image}"`);
    assert.equal(backOff.status.phase, 'Pending');
  });

  test('kubectl run --image=busybox defaults to pull policy Always and runs offline', async () => {
    await k.ok(['run', 'offline', '--image=busybox', '--restart=Never', `--overrides=${JSON.stringify({ spec: { nodeName: node } })}`, '--command', '--', 'sleep', '3600']);
    const running = await podWhen('offline', 'running', (p) => p.status.phase === 'Running');
    assert.equal(running.spec.containers[0]?.imagePullPolicy, 'Always');
  });
});
