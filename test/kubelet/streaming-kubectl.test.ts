/**
 * kubectl logs, exec and port-forward (newest kubectl and 1.27) against an API server
 * whose Node points at the kubelet streaming server over a real containerd.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ContainerConfig, PodSandboxConfig } from '../../src/runtime/cri/types.js';
import { busyboxContainer, runContainer, sandboxConfig } from '../../src/runtime/testing/pods.js';
import { startTestContainerd, type TestContainerd } from '../../src/runtime/testing/testContainerd.js';
import { freePort, kubectl, kubectlBinaries } from '../support/cluster.js';
import { startStreamingSetup, type StreamingSetup } from './streamingSetup.js';

describe('kubectl logs and exec through the kubelet streaming server', () => {
  let node: TestContainerd;
  let setup: StreamingSetup;
  let dir: string;
  let target: { kubeconfig: string };
  let webPort: number;

  before(async () => {
    node = await startTestContainerd();
    setup = await startStreamingSetup(node.cri);
    dir = await mkdtemp(join(tmpdir(), 'k8ts-streaming-kubectl-'));
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: setup.api.url } }],
        users: [{ name: 'u', user: {} }],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u', namespace: 'default' } }],
        'current-context': 'c',
      }),
    );
    target = { kubeconfig };
    await setup.createPod('shell', ['main', 'web']);
    const sandbox: PodSandboxConfig = { ...sandboxConfig('shell', `${node.dataDir}/logs/shell`, true), labels: setup.podLabels('shell') };
    const sandboxId = await node.cri.runPodSandbox(sandbox);
    const container: ContainerConfig = { ...busyboxContainer('main', ['sh', '-c', 'echo ready; exec sleep 3600']), labels: setup.containerLabels('shell', 'main') };
    await runContainer(node.cri, sandboxId, sandbox, container);
    webPort = await freePort();
    const web: ContainerConfig = {
      ...busyboxContainer('web', ['sh', '-c', `mkdir -p /www && echo hello-from-pod > /www/index.html && exec httpd -f -p 127.0.0.1:${webPort} -h /www`]),
      labels: setup.containerLabels('shell', 'web'),
    };
    await runContainer(node.cri, sandboxId, sandbox, web);
  });

  /** Runs `kubectl port-forward` to the pod's web port until `use` is done with the local port. */
  async function withPortForward(bin: string, use: (localPort: number) => Promise<void>): Promise<void> {
    const localPort = await freePort();
    const child = spawn(bin, ['port-forward', 'pod/shell', `${localPort}:${webPort}`], { env: { ...process.env, KUBECONFIG: target.kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let output = '';
      await new Promise<void>((ready, fail) => {
        const timer = setTimeout(() => fail(new Error(`port-forward did not start: ${output}`)), 20_000);
        const watch = (d: Buffer): void => {
          output += d.toString();
          if (output.includes('Forwarding from')) {
            clearTimeout(timer);
            ready();
          }
        };
        child.stdout.on('data', watch);
        child.stderr.on('data', watch);
        child.once('exit', () => fail(new Error(`port-forward exited: ${output}`)));
      });
      await use(localPort);
    } finally {
      child.kill('SIGTERM');
    }
  }
  after(async () => {
    await setup?.stop();
    await node?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  for (const { version, path: bin } of kubectlBinaries()) {
    it(`kubectl ${version}: logs, exec exit codes, exec with stdin`, async () => {
      const logs = await kubectl(target, ['logs', 'shell', '-c', 'main'], { bin });
      assert.equal(logs.stdout, 'ready\n', logs.stderr);
      const out = await kubectl(target, ['exec', 'shell', '-c', 'main', '--', 'sh', '-c', 'echo out; echo err >&2'], { bin, timeoutMs: 20_000 });
      assert.equal(out.code, 0, out.stderr);
      assert.equal(out.stdout, 'out\n');
      assert.match(out.stderr, /err/);
      const exit3 = await kubectl(target, ['exec', 'shell', '-c', 'main', '--', 'sh', '-c', 'exit 3'], { bin, timeoutMs: 20_000 });
      assert.equal(exit3.code, 3, exit3.stderr);
      const stdin = await kubectl(target, ['exec', '-i', 'shell', '-c', 'main', '--', 'sh', '-c', 'tr a-z A-Z'], { bin, input: 'hello\n', timeoutMs: 20_000 });
      assert.equal(stdin.code, 0, stdin.stderr);
      assert.equal(stdin.stdout, 'HELLO\n');
    });

    it(`kubectl ${version}: port-forward reaches a server in the pod`, async () => {
      await withPortForward(bin, async (localPort) => {
        for (let i = 0; i < 2; i++) {
          const res = await fetch(`http://127.0.0.1:${localPort}/`);
          assert.equal(await res.text(), 'hello-from-pod\n');
        }
      });
    });
  }
});
