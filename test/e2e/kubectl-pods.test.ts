/**
 * e2e: pods bound to the server's own node run as real containers under k8ts's
 * containerd, driven with the real kubectl (newest and 1.27): Running with a pod IP,
 * logs and exec through the API server, exit codes and restart policies in the
 * status, deletion, and a control-plane restart that leaves running containers alone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { kubectlBinaries, startCluster } from '../support/cluster.js';
import { busyboxPod, manifest } from '../support/manifests.js';
import { pollUntil } from '../support/poll.js';

/** A busybox pod on `node` running `script` with `restartPolicy` and a 2s grace period. */
function podManifest(name: string, node: string, script: string, restartPolicy = 'Never'): string {
  return manifest(busyboxPod(name, node, { script, spec: { restartPolicy, terminationGracePeriodSeconds: 2 } }));
}

interface PodJson {
  status: {
    phase: string;
    podIP?: string;
    containerStatuses?: { containerID?: string; restartCount: number; state: { running?: { startedAt: string }; terminated?: { exitCode: number; reason: string }; waiting?: { reason: string } } }[];
  };
}

for (const binary of kubectlBinaries()) {
  describe(`kubectl ${binary.version}: pods on the node`, () => {
    let cluster: TestCluster;
    let node = '';
    const k = bindKubectl(() => cluster, binary.path);
    const pod = async (name: string): Promise<PodJson> => JSON.parse(await k.ok(['get', 'pod', name, '-o', 'json'])) as PodJson;
    const podWhen = (name: string, what: string, ok: (p: PodJson) => boolean): Promise<PodJson> =>
      pollUntil(`pod ${name} ${what}`, async () => {
        const p = await pod(name);
        return ok(p) ? p : undefined;
      }, 60_000);

    before(async () => {
      cluster = await startCluster();
      node = await pollUntil('the node', async () => (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])) || undefined);
    });
    after(() => cluster.stop());

    test('a pod runs with a pod IP and shows Running 1/1', async () => {
      await k.ok(['apply', '-f', '-'], { input: podManifest('runner', node, 'sleep 3600') });
      const running = await podWhen('runner', 'running', (p) => p.status.phase === 'Running');
      assert.match(running.status.podIP ?? '', /^198\.18\.\d+\.\d+$/);
      assert.match(running.status.containerStatuses?.[0]?.containerID ?? '', /^containerd:\/\/[0-9a-f]{64}$/);
      assert.match(await k.ok(['get', 'pod', 'runner']), /^runner\s+1\/1\s+Running\s+0\s+/m);
    });

    test('logs, exec (exit code, stdin) through the API server and the kubelet', async () => {
      await k.ok(['apply', '-f', '-'], { input: podManifest('talker', node, 'echo first line; echo second line; sleep 3600') });
      await podWhen('talker', 'running', (p) => p.status.phase === 'Running');
      const logs = await pollUntil('talker logs', async () => {
        const out = await k.ok(['logs', 'talker']);
        return out.includes('second line') ? out : undefined;
      });
      assert.equal(logs, 'first line\nsecond line\n');
      assert.equal(await k.ok(['logs', 'talker', '--tail=1']), 'second line\n');
      const exec = await k.run(['exec', 'talker', '--', 'sh', '-c', 'echo out; exit 3']);
      assert.equal(exec.code, 3, exec.stderr);
      assert.equal(exec.stdout, 'out\n');
      assert.equal(await k.ok(['exec', '-i', 'talker', '--', 'cat'], { input: 'through stdin\n' }), 'through stdin\n');
    });

    test('exit codes: Never ends Failed with Error and the code; exit 0 is Succeeded/Completed', async () => {
      await k.ok(['apply', '-f', '-'], { input: podManifest('fails', node, 'exit 3') });
      const failed = await podWhen('fails', 'failed', (p) => p.status.phase === 'Failed');
      const terminated = failed.status.containerStatuses?.[0]?.state.terminated;
      assert.equal(terminated?.exitCode, 3);
      assert.equal(terminated?.reason, 'Error');
      assert.match(await k.ok(['get', 'pod', 'fails']), /^fails\s+0\/1\s+Error\s+0\s+/m);
      await k.ok(['apply', '-f', '-'], { input: podManifest('done', node, 'true') });
      await podWhen('done', 'succeeded', (p) => p.status.phase === 'Succeeded');
      assert.match(await k.ok(['get', 'pod', 'done']), /^done\s+0\/1\s+Completed\s+0\s+/m);
    });

    test('restartPolicy OnFailure restarts a failing container and backs off', async () => {
      await k.ok(['apply', '-f', '-'], { input: podManifest('crashy', node, 'exit 1', 'OnFailure') });
      const backingOff = await podWhen('crashy', 'in CrashLoopBackOff', (p) => p.status.containerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff');
      assert.ok((backingOff.status.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
      assert.match(await k.ok(['get', 'pod', 'crashy']), /^crashy\s+0\/1\s+CrashLoopBackOff\s+[1-9]/m);
    });

    test('delete stops the containers and removes the pod', async () => {
      await k.ok(['apply', '-f', '-'], { input: podManifest('doomed', node, 'sleep 3600') });
      await podWhen('doomed', 'running', (p) => p.status.phase === 'Running');
      await k.ok(['delete', 'pod', 'doomed', '--timeout=60s']);
      assert.match(await k.fails(['get', 'pod', 'doomed']), /NotFound/);
    });

    test('a control-plane restart keeps running containers (same container ID and start time)', async () => {
      const before = (await podWhen('runner', 'running', (p) => p.status.phase === 'Running')).status.containerStatuses?.[0];
      await cluster.restart();
      const after = (await podWhen('runner', 'running again', (p) => p.status.phase === 'Running')).status.containerStatuses?.[0];
      assert.equal(after?.containerID, before?.containerID);
      assert.equal(after?.state.running?.startedAt, before?.state.running?.startedAt);
      assert.equal(after?.restartCount, 0);
    });
  });
}
