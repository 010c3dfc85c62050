import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CriClient } from '../runtime/cri/client.js';
import type { Container, ContainerState, ContainerStatus, PodSandbox, PodSandboxStatus } from '../runtime/cri/types.js';
import { RuntimeKey } from './runtimeLabels.js';
import { RuntimeView } from './runtimeView.js';

/** A runtime holding one pod's sandbox and containers, counting the calls made to it. */
class CountingRuntime {
  calls = 0;
  readonly sandbox: PodSandbox = { id: 's1', metadata: null, state: 'SANDBOX_READY', createdAt: '1000000', labels: { [RuntimeKey.podUid]: 'u1' }, annotations: {}, runtimeHandler: '' };
  containers: Container[] = [this.#container('c1', 'CONTAINER_RUNNING')];

  #container(id: string, state: ContainerState): Container {
    return { id, podSandboxId: 's1', metadata: { name: 'main', attempt: 0 }, image: null, imageRef: '', state, createdAt: '2000000', labels: { [RuntimeKey.podUid]: 'u1', [RuntimeKey.containerName]: 'main' }, annotations: {} };
  }

  setState(state: ContainerState): void {
    this.containers = [this.#container('c1', state)];
  }

  get client(): CriClient {
    const statusOf = (c: Container): ContainerStatus => ({ ...c, startedAt: '3000000', finishedAt: c.state === 'CONTAINER_EXITED' ? '4000000' : '0', exitCode: 0, reason: '', message: '', logPath: '' });
    const sandboxStatus: PodSandboxStatus = { ...this.sandbox, network: { ip: '198.18.0.9', additionalIps: [] } };
    const fake = {
      listPodSandbox: async () => (this.calls++, [this.sandbox]),
      listContainers: async () => (this.calls++, this.containers),
      podSandboxStatus: async () => (this.calls++, sandboxStatus),
      containerStatus: async (id: string) => (this.calls++, statusOf(this.containers.find((c) => c.id === id) as Container)),
    };
    return fake as unknown as CriClient;
  }
}

test('a pod status is served from the cache while the latest relist agrees with it', async () => {
  const runtime = new CountingRuntime();
  const view = new RuntimeView(runtime.client);
  await view.fingerprints();
  const first = await view.podStatus('u1');
  const callsAfterFirstRead = runtime.calls;
  const second = await view.podStatus('u1');
  assert.equal(runtime.calls, callsAfterFirstRead, 'a second read costs no runtime calls');
  assert.deepEqual(second, first);
  assert.equal(first.containers[0]?.state, 'running');
  assert.deepEqual(first.sandboxes[0]?.ips, ['198.18.0.9']);
});

test('a relist that sees a changed container makes the next read go to the runtime', async () => {
  const runtime = new CountingRuntime();
  const view = new RuntimeView(runtime.client);
  await view.fingerprints();
  await view.podStatus('u1');
  runtime.setState('CONTAINER_EXITED');
  assert.equal((await view.podStatus('u1')).containers[0]?.state, 'running', 'until the relist, the cached status stands');
  await view.fingerprints();
  assert.equal((await view.podStatus('u1')).containers[0]?.state, 'exited');
});

test('invalidate drops the cached status of a pod the caller changed', async () => {
  const runtime = new CountingRuntime();
  const view = new RuntimeView(runtime.client);
  await view.fingerprints();
  await view.podStatus('u1');
  runtime.setState('CONTAINER_EXITED');
  view.invalidate('u1');
  assert.equal((await view.podStatus('u1')).containers[0]?.state, 'exited');
});

test('a status read after the latest relist is not trusted until a relist confirms it', async () => {
  const runtime = new CountingRuntime();
  const view = new RuntimeView(runtime.client);
  await view.fingerprints();
  runtime.setState('CONTAINER_EXITED');
  await view.podStatus('u1');
  const calls = runtime.calls;
  await view.podStatus('u1');
  assert.ok(runtime.calls > calls, 'the runtime is asked again while the relist disagrees');
  await view.fingerprints();
  const afterRelist = runtime.calls;
  assert.equal((await view.podStatus('u1')).containers[0]?.state, 'exited');
  assert.equal(runtime.calls, afterRelist, 'the status read before the relist matches it and is served from the cache');
});
