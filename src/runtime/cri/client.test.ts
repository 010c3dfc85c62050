import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { BUSYBOX_IMAGE, PAUSE_IMAGE } from '../images/baseImages.js';
import { ensureBaseImages } from '../images/ensureBaseImages.js';
import type { TestContainerd } from '../testing/testContainerd.js';
import { startTestContainerd } from '../testing/testContainerd.js';
import { busyboxContainer, runContainer, sandboxConfig, waitForExit } from '../testing/pods.js';
import { NotFoundError } from './errors.js';
import type { VersionResponse } from './types.js';

describe('CRI client against k8ts containerd', () => {
  let node: TestContainerd;
  before(async () => {
    node = await startTestContainerd();
  });
  after(async () => {
    await node?.stop();
  });

  it('reports the runtime version and a ready runtime', async () => {
    const version = await node.cri.version();
    assert.equal(version.runtimeName, 'containerd');
    assert.equal(version.runtimeApiVersion, 'v1');
    const status = await node.cri.status();
    assert.equal(status.conditions.find((c) => c.type === 'RuntimeReady')?.status, true);
  });

  it('has the base images after ensure, under the short names too, and ensure is idempotent', async () => {
    assert.deepEqual(node.images, { [PAUSE_IMAGE]: 'imported', [BUSYBOX_IMAGE]: 'imported' });
    for (const name of ['busybox', 'busybox:latest', BUSYBOX_IMAGE, PAUSE_IMAGE]) {
      assert.ok(await node.cri.imageStatus(name), `${name} is present`);
    }
    const again = await ensureBaseImages(node.cri, node.containerd.socket, node.containerd.paths.imagesDir);
    assert.deepEqual(again, { [PAUSE_IMAGE]: 'present', [BUSYBOX_IMAGE]: 'present' });
    assert.equal(await node.cri.imageStatus('docker.io/library/absent:1'), undefined);
  });

  it('runs a busybox container in a hostNetwork sandbox to exit 0 with its output in the log', async () => {
    const logDir = join(node.dataDir, 'logs', 'hello');
    const sandbox = sandboxConfig('hello', logDir, true);
    const sandboxId = await node.cri.runPodSandbox(sandbox);
    assert.equal((await node.cri.podSandboxStatus(sandboxId)).state, 'SANDBOX_READY');
    const id = await runContainer(node.cri, sandboxId, sandbox, busyboxContainer('echo', ['echo', 'hi']));
    const status = await waitForExit(node.cri, id);
    assert.equal(status.exitCode, 0);
    assert.match(await readFile(join(logDir, 'echo.log'), 'utf8'), / stdout F hi\n/);
    assert.deepEqual((await node.cri.listContainers({ podSandboxId: sandboxId })).map((c) => c.id), [id]);
    await node.cri.stopPodSandbox(sandboxId);
    await node.cri.removePodSandbox(sandboxId);
    assert.deepEqual(await node.cri.listPodSandbox({ id: sandboxId }), []);
  });

  it('answers ExecSync with the command exit code and output', async () => {
    const sandbox = sandboxConfig('exec', join(node.dataDir, 'logs', 'exec'), true);
    const sandboxId = await node.cri.runPodSandbox(sandbox);
    const id = await runContainer(node.cri, sandboxId, sandbox, busyboxContainer('sleeper', ['sleep', '3600']));
    const ok = await node.cri.execSync(id, ['sh', '-c', 'echo out; echo err >&2'], 10);
    assert.deepEqual([ok.exitCode, ok.stdout.toString(), ok.stderr.toString()], [0, 'out\n', 'err\n']);
    const failed = await node.cri.execSync(id, ['sh', '-c', 'exit 3'], 10);
    assert.equal(failed.exitCode, 3);
    await node.cri.stopContainer(id, 0);
    assert.equal((await node.cri.containerStatus(id)).state, 'CONTAINER_EXITED');
    await node.cri.stopPodSandbox(sandboxId);
    await node.cri.removePodSandbox(sandboxId);
  });

  it('fails with NotFoundError for an unknown container', async () => {
    await assert.rejects(node.cri.containerStatus('does-not-exist'), NotFoundError);
  });

  it('restarts containerd when it dies, keeping its images', async () => {
    const first = node.containerd.pid;
    assert.ok(first !== undefined);
    process.kill(first, 'SIGKILL');
    for (let attempt = 0; attempt < 200 && (node.containerd.pid === undefined || node.containerd.pid === first); attempt++) await sleep(50);
    assert.notEqual(node.containerd.pid, first);
    let version: VersionResponse | undefined;
    for (let attempt = 0; attempt < 100 && version === undefined; attempt++) {
      version = await node.cri.version().catch(() => sleep(50).then(() => undefined));
    }
    assert.equal(version?.runtimeName, 'containerd');
    assert.ok(await node.cri.imageStatus('busybox'));
  });
});
