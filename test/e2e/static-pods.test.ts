/**
 * e2e: static pods of `k8ts server --pod-manifest-path DIR`, seen with the real kubectl
 * through their mirror pods: Running with the mirror annotation, exec into them,
 * deleting the mirror brings it back over the same container, editing the file
 * replaces the container, removing the file removes the pod.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { startCluster } from '../support/cluster.js';
import { pollUntil } from '../support/poll.js';

/** A static busybox pod manifest (YAML) running `script`. */
function staticManifest(script: string): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: web',
    '  labels: {app: web}',
    'spec:',
    '  terminationGracePeriodSeconds: 1',
    '  containers:',
    '  - name: main',
    '    image: busybox',
    '    imagePullPolicy: IfNotPresent',
    `    command: [sh, -c, ${JSON.stringify(script)}]`,
    '',
  ].join('\n');
}

describe('kubectl: static pods from the pod manifest directory', () => {
  let cluster: TestCluster | undefined;
  let manifests = '';
  let mirror = '';
  const k = bindKubectl(() => cluster!, 'kubectl');
  const field = (path: string): Promise<string> => k.run(['get', 'pod', mirror, '-o', `jsonpath={${path}}`]).then((r) => (r.code === 0 ? r.stdout.trim() : ''));
  /** The mirror pod's container id once it is Running, optionally a different one than `not`. */
  const runningContainer = (what: string, not = ''): Promise<string> => pollUntil(what, async () => {
    const [phase, id] = [await field('.status.phase'), await field('.status.containerStatuses[0].containerID')];
    return phase === 'Running' && id !== '' && id !== not ? id : undefined;
  }, 90_000, 500);

  before(async () => {
    manifests = await mkdtemp(join(tmpdir(), 'k8ts-e2e-manifests-'));
    cluster = await startCluster(['--pod-manifest-path', manifests]);
    const node = await pollUntil('the node', async () => (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])) || undefined);
    mirror = `web-${node}`;
  });
  after(async () => {
    await cluster?.stop();
    await rm(manifests, { recursive: true, force: true });
  });

  test('the mirror pod shows the static pod Running, with the mirror annotation, and kubectl exec reaches it', async () => {
    await writeFile(join(manifests, 'web.yaml'), staticManifest('echo started; sleep 3600'));
    await runningContainer('the mirror pod Running');
    const hash = await field(".metadata.annotations['kubernetes\\.io/config\\.hash']");
    assert.match(hash, /^[0-9a-f]{32}$/);
    assert.equal(await field(".metadata.annotations['kubernetes\\.io/config\\.mirror']"), hash);
    assert.equal(await field(".metadata.annotations['kubernetes\\.io/config\\.source']"), 'file');
    assert.equal(await field('.metadata.ownerReferences[0].kind'), 'Node');
    assert.equal(await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}']), mirror);
    assert.equal((await k.ok(['exec', mirror, '--', 'sh', '-c', 'echo hello from $(hostname)'])).trim(), `hello from ${mirror}`);
    assert.equal((await k.ok(['logs', mirror])).trim(), 'started');
  });

  test('kubectl delete of the mirror pod: it comes back, the same container still running', async () => {
    const container = await runningContainer('the mirror pod Running');
    const uid = await field('.metadata.uid');
    // --wait=false: kubectl's wait lists, then checks its cache on a 100 ms poll; the kubelet
    // recreates the mirror (as upstream's does, in the same sync) well inside that window, and
    // kubectl 1.32/1.33 then waits for a DELETED event of the new pod that never comes.
    await k.ok(['delete', 'pod', mirror, '--wait=false']);
    const back = await pollUntil('a new mirror pod', async () => {
      const now = await field('.metadata.uid');
      return now !== '' && now !== uid ? now : undefined;
    }, 90_000, 500);
    assert.notEqual(back, uid);
    assert.equal(await runningContainer('the new mirror Running'), container);
    assert.equal(await field('.status.containerStatuses[0].restartCount'), '0');
  });

  test('editing the file runs a new container; removing it removes the pod', async () => {
    const container = await runningContainer('the mirror pod Running');
    await writeFile(join(manifests, 'web.yaml'), staticManifest('echo edited; sleep 3600'));
    await runningContainer('a new container', container);
    await pollUntil('the edited logs', async () => ((await k.run(['logs', mirror])).stdout.trim() === 'edited' ? true : undefined), 60_000, 500);
    await unlink(join(manifests, 'web.yaml'));
    await pollUntil('the mirror pod gone', async () => {
      const result = await k.run(['get', 'pod', mirror]);
      return result.code !== 0 && /NotFound|not found/.test(result.stderr) ? true : undefined;
    }, 90_000, 500);
  });
});
