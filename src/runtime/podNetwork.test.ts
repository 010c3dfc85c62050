import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestContainerd } from './testing/testContainerd.js';
import { startTestContainerd } from './testing/testContainerd.js';
import { busyboxContainer, runContainer, sandboxConfig } from './testing/pods.js';

describe('pod network (CNI bridge) of k8ts containerd', () => {
  let node: TestContainerd;
  before(async () => {
    node = await startTestContainerd({ bridge: 'k8tscni0', podCidr: '198.18.251.0/24' });
  });
  after(async () => {
    await node?.stop();
  });

  it('gives sandboxes addresses in the pod CIDR, reaching the gateway and each other', async () => {
    const status = await node.cri.status();
    assert.equal(status.conditions.find((c) => c.type === 'NetworkReady')?.status, true);

    const serverPod = sandboxConfig('server', join(node.dataDir, 'logs', 'server'), false);
    const serverSandbox = await node.cri.runPodSandbox(serverPod);
    const serverIp = (await node.cri.podSandboxStatus(serverSandbox)).network?.ip ?? '';
    assert.match(serverIp, /^198\.18\.251\.\d+$/);
    await runContainer(node.cri, serverSandbox, serverPod,
      busyboxContainer('httpd', ['sh', '-c', 'echo hello-from-server > /tmp/index.html && exec httpd -f -p 8080 -h /tmp']));

    const clientPod = sandboxConfig('client', join(node.dataDir, 'logs', 'client'), false);
    const clientSandbox = await node.cri.runPodSandbox(clientPod);
    const clientIp = (await node.cri.podSandboxStatus(clientSandbox)).network?.ip ?? '';
    assert.match(clientIp, /^198\.18\.251\.\d+$/);
    assert.notEqual(clientIp, serverIp);
    const client = await runContainer(node.cri, clientSandbox, clientPod, busyboxContainer('client', ['sleep', '3600']));

    const ping = await node.cri.execSync(client, ['ping', '-c1', '-W2', '198.18.251.1'], 10);
    assert.equal(ping.exitCode, 0, ping.stdout.toString() + ping.stderr.toString());
    // The server may need a moment to listen: a bounded retry inside the container
    // (not wget -T: Debian's static busybox wget crashes with it).
    const fetch = await node.cri.execSync(client, ['sh', '-c', `for i in 1 2 3 4 5 6 7 8 9 10; do timeout 3 wget -q -O- http://${serverIp}:8080/ && exit 0; sleep 0.2; done; exit 1`], 20);
    assert.equal(fetch.stdout.toString(), 'hello-from-server\n', fetch.stderr.toString() + await readFile(join(node.dataDir, 'logs', 'server', 'httpd.log'), 'utf8'));
  });
});
