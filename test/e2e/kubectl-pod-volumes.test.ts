/**
 * e2e: what the kubelet puts into a pod's containers besides the image — configMap,
 * secret, emptyDir and downwardAPI volumes (a configMap update reaching the mounted
 * file without a restart), a FailedMount event for a missing configMap, the managed
 * /etc/hosts with hostAliases, and termination messages — seen with the real kubectl
 * against a real k8ts server and its containerd.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { startCluster } from '../support/cluster.js';
import { busyboxContainer, busyboxPod, manifest } from '../support/manifests.js';
import { pollUntil } from '../support/poll.js';

/** A busybox container `name` running `script`, with its mounts and termination message policy. */
type ContainerSpec = { name: string; script: string } & Pick<Container, 'volumeMounts' | 'terminationMessagePolicy'>;

/** A busybox pod on `node` (restartPolicy Never, 1s grace) with `containers` running their scripts, `extra` merged into its spec and `labels`. */
function podManifest(name: string, node: string, containers: ContainerSpec[], extra: Partial<PodSpec> = {}, labels: Record<string, string> = {}): string {
  return manifest(
    busyboxPod(name, node, {
      containers: containers.map(({ name: containerName, ...fields }) => busyboxContainer(containerName, fields)),
      spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, ...extra },
      labels,
    }),
  );
}

describe('kubectl: pod volumes, /etc/hosts and termination messages', () => {
  let cluster: TestCluster;
  let node = '';
  const k = bindKubectl(() => cluster, 'kubectl');
  const phase = (name: string): Promise<string> => k.ok(['get', 'pod', name, '-o', 'jsonpath={.status.phase}']);
  const running = (name: string): Promise<string> => pollUntil(`pod ${name} running`, async () => ((await phase(name)) === 'Running' ? 'ok' : undefined), 60_000);
  const execOut = (name: string, container: string, script: string): Promise<string> => k.ok(['exec', name, '-c', container, '--', 'sh', '-c', script]);

  before(async () => {
    cluster = await startCluster();
    node = await pollUntil('the node', async () => (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])) || undefined);
  });
  after(() => cluster.stop());

  test('a configMap volume shows its data, and an update reaches the file without a restart', async () => {
    await k.ok(['create', 'configmap', 'settings', '--from-literal=greeting=hello']);
    const volumes = [{ name: 'cfg', configMap: { name: 'settings' } }];
    await k.ok(['apply', '-f', '-'], { input: podManifest('cm-reader', node, [{ name: 'main', script: 'sleep 3600', volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }] }], { volumes }) });
    await running('cm-reader');
    assert.equal(await execOut('cm-reader', 'main', 'cat /etc/cfg/greeting'), 'hello');
    await k.ok(['patch', 'configmap', 'settings', '--type=merge', '-p', '{"data":{"greeting":"goodbye"}}']);
    await pollUntil('the updated greeting', async () => ((await execOut('cm-reader', 'main', 'cat /etc/cfg/greeting')) === 'goodbye' ? true : undefined), 90_000, 500);
    assert.equal(await k.ok(['get', 'pod', 'cm-reader', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}']), '0');
  });

  test('a secret volume holds the decoded secret', async () => {
    await k.ok(['create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret']);
    const volumes = [{ name: 'sec', secret: { secretName: 'creds' } }];
    await k.ok(['apply', '-f', '-'], { input: podManifest('secret-reader', node, [{ name: 'main', script: 'sleep 3600', volumeMounts: [{ name: 'sec', mountPath: '/etc/sec' }] }], { volumes }) });
    await running('secret-reader');
    assert.equal(await execOut('secret-reader', 'main', 'cat /etc/sec/password'), 's3cret');
  });

  test('an emptyDir is shared between the containers of a pod', async () => {
    const mount = [{ name: 'shared', mountPath: '/shared' }];
    await k.ok(['apply', '-f', '-'], {
      input: podManifest('sharer', node, [
        { name: 'writer', script: 'echo from-writer > /shared/note; sleep 3600', volumeMounts: mount },
        { name: 'reader', script: 'sleep 3600', volumeMounts: mount },
      ], { volumes: [{ name: 'shared', emptyDir: {} }] }),
    });
    await running('sharer');
    const note = await pollUntil('the shared note', async () => (await execOut('sharer', 'reader', 'cat /shared/note 2>/dev/null || true')) || undefined);
    assert.equal(note, 'from-writer\n');
  });

  test('a downwardAPI volume holds the pod labels', async () => {
    const volumes = [{ name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }];
    await k.ok(['apply', '-f', '-'], {
      input: podManifest('labelled', node, [{ name: 'main', script: 'sleep 3600', volumeMounts: [{ name: 'info', mountPath: '/etc/info' }] }], { volumes }, { app: 'web', tier: 'front' }),
    });
    await running('labelled');
    assert.equal(await execOut('labelled', 'main', 'cat /etc/info/labels'), 'app="web"\ntier="front"');
  });

  test('a missing configMap keeps the pod Pending with a FailedMount event', async () => {
    const volumes = [{ name: 'cfg', configMap: { name: 'does-not-exist' } }];
    await k.ok(['apply', '-f', '-'], { input: podManifest('unmountable', node, [{ name: 'main', script: 'sleep 3600', volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }] }], { volumes }) });
    const described = await pollUntil('a FailedMount event', async () => {
      const out = await k.ok(['describe', 'pod', 'unmountable']);
      return /FailedMount/.test(out) ? out : undefined;
    }, 60_000);
    assert.match(described, /Warning\s+FailedMount\s+.*kubelet\s+MountVolume\.SetUp failed for volume "cfg" : configmap "does-not-exist" not found/);
    assert.equal(await phase('unmountable'), 'Pending');
    assert.equal(await k.ok(['get', 'pod', 'unmountable', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.reason}']), 'ContainerCreating');
  });

  test('/etc/hosts is kubelet-managed and lists the hostAliases', async () => {
    const extra = { hostname: 'box', subdomain: 'sub', hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local', 'bar.local'] }] };
    await k.ok(['apply', '-f', '-'], { input: podManifest('hosts', node, [{ name: 'main', script: 'sleep 3600' }], extra) });
    await running('hosts');
    const podIP = await k.ok(['get', 'pod', 'hosts', '-o', 'jsonpath={.status.podIP}']);
    const hosts = await k.ok(['exec', 'hosts', '--', 'cat', '/etc/hosts']);
    assert.match(hosts, /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
    assert.ok(hosts.includes(`${podIP}\tbox.sub.default.svc.cluster.local\tbox\n`), hosts);
    assert.ok(hosts.includes('# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n'), hosts);
  });

  test('termination messages: from the file, and from the log on error', async () => {
    await k.ok(['apply', '-f', '-'], { input: podManifest('says-bye', node, [{ name: 'main', script: 'echo -n "all done" > /dev/termination-log' }]) });
    // One stream: the runtime may write stdout and stderr lines to the log in either order.
    await k.ok(['apply', '-f', '-'], { input: podManifest('log-fallback', node, [{ name: 'main', script: 'echo line one >&2; echo boom >&2; exit 2', terminationMessagePolicy: 'FallbackToLogsOnError' }]) });
    const message = (name: string): Promise<string> =>
      pollUntil(`${name}'s termination message`, async () => (await k.ok(['get', 'pod', name, '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.message}'])) || undefined, 60_000);
    assert.equal(await message('says-bye'), 'all done');
    assert.equal(await message('log-fallback'), 'line one\nboom\n');
  });
});
