/**
 * e2e: the kubectl basics (create, get, apply, patch, label, delete, watch) against a
 * `k8ts server` whose datastore is a real etcd 3 started by the test, and the data
 * surviving a restart of the server on the same etcd. Runs with the newest kubectl on
 * PATH and 1.27.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BoundKubectl } from '../support/boundKubectl.js';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { kubectlBinaries, startCluster } from '../support/cluster.js';
import type { TestEtcd } from '../support/etcd.js';
import { startEtcd } from '../support/etcd.js';
import { pollUntil } from '../support/poll.js';
import { deploymentManifest } from '../support/manifests.js';

const CONFIGMAP = (name: string, value: string, namespace = 'default'): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ${namespace}
  labels:
    app: etcd-e2e
data:
  key: ${value}
`;


for (const { version, path: bin } of kubectlBinaries()) {
  describe(`kubectl ${version}: k8ts server on etcd`, () => {
    let etcd: TestEtcd;
    let cluster: TestCluster;
    let k: BoundKubectl;

    before(async () => {
      etcd = await startEtcd();
      cluster = await startCluster(['--datastore-endpoint', etcd.endpoint]);
      k = bindKubectl(() => cluster, bin);
    });
    after(async () => {
      await cluster?.stop();
      await etcd?.stop();
    });

    const dataKey = async (name: string, namespace = 'default'): Promise<string> =>
      k.ok(['get', 'configmap', name, '-n', namespace, '-o', 'jsonpath={.data.key}']);

    test('the server reports its etcd datastore and serves the system namespaces', async () => {
      // The banner comes after the listener opens, so it may trail readiness a little.
      await pollUntil('the server banner naming etcd', async () => (cluster.output().includes(`datastore ${etcd.endpoint}`) ? true : undefined));
      const names = (await k.ok(['get', 'namespaces', '-o', 'name'])).split('\n');
      for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.ok(names.includes(`namespace/${ns}`), names.join(','));
    });

    test('create, get, duplicate create and delete', async () => {
      await k.ok(['create', '-f', '-'], { input: CONFIGMAP('created', 'one') });
      const obj = JSON.parse(await k.ok(['get', 'configmap', 'created', '-o', 'json']));
      assert.equal(obj.data.key, 'one');
      assert.match(obj.metadata.uid, /^[0-9a-f-]{36}$/);
      assert.match(obj.metadata.resourceVersion, /^\d+$/);
      assert.match(await k.ok(['get', 'cm', 'created']), /^NAME\s+DATA\s+AGE\ncreated\s+1\s+/);
      assert.match(await k.fails(['create', '-f', '-'], { input: CONFIGMAP('created', 'one') }), /configmaps "created" already exists/);
      assert.match(await k.ok(['delete', 'configmap', 'created']), /configmap "created" deleted/);
      assert.match(await k.fails(['get', 'configmap', 'created']), /configmaps "created" not found/);
    });

    test('apply, label and the three patch types', async () => {
      await k.ok(['apply', '-f', '-'], { input: CONFIGMAP('patched', 'v1') });
      await k.ok(['apply', '-f', '-'], { input: CONFIGMAP('patched', 'v2') });
      assert.equal(await dataKey('patched'), 'v2');
      await k.ok(['label', 'configmap', 'patched', 'tier=web']);
      await k.ok(['patch', 'configmap', 'patched', '--type=merge', '-p', '{"data":{"b":"2"}}']);
      await k.ok(['patch', 'configmap', 'patched', '--type=json', '-p', '[{"op":"replace","path":"/data/key","value":"v3"}]']);
      await k.ok(['patch', 'configmap', 'patched', '-p', '{"data":{"c":"3"}}']);
      const obj = JSON.parse(await k.ok(['get', 'configmap', 'patched', '-o', 'json']));
      assert.deepEqual(obj.data, { key: 'v3', b: '2', c: '3' });
      assert.equal(obj.metadata.labels.tier, 'web');
      assert.equal((await k.ok(['get', 'configmaps', '-l', 'tier=web', '-o', 'name'])).trim(), 'configmap/patched');
      await k.ok(['apply', '-f', '-'], { input: deploymentManifest('web', 2) });
      await k.ok(['apply', '-f', '-'], { input: deploymentManifest('web', 4) });
      assert.equal(await k.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}']), '4');
    });

    test('list pages through etcd with --chunk-size', async () => {
      await k.ok(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: paged\n' });
      for (let i = 0; i < 7; i++) await k.ok(['create', '-f', '-'], { input: CONFIGMAP(`page-${i}`, String(i), 'paged') });
      const names = (await k.ok(['get', 'configmaps', '-n', 'paged', '--chunk-size=2', '-o', 'name'])).trim().split('\n');
      assert.deepEqual(names.filter((n) => n.startsWith('configmap/page-')).sort(), Array.from({ length: 7 }, (_, i) => `configmap/page-${i}`));
    });

    test('get -w sees creates, updates and deletes', async () => {
      await k.ok(['create', '-f', '-'], { input: CONFIGMAP('watched', '1') });
      let log = '';
      const watcher = k.run(['get', 'configmap', 'watched', '-w', '-o', 'jsonpath={.data.key}{"\\n"}', '--request-timeout=15s', '-v=6'], {
        timeoutMs: 25_000,
        onStderr: (chunk) => (log += chunk),
      });
      await pollUntil('kubectl get -w to open its watch', async () => (/configmaps\?\S*watch=true/.test(log) ? true : undefined));
      await k.ok(['patch', 'configmap', 'watched', '--type=merge', '-p', '{"data":{"key":"2"}}']);
      await k.ok(['delete', 'configmap', 'watched']);
      const result = await watcher;
      assert.deepEqual(result.stdout.trim().split('\n').slice(0, 3), ['1', '2', '2'], result.stdout + result.stderr);
    });

    test('the server and its watchers ride out an etcd restart', async () => {
      await k.ok(['create', '-f', '-'], { input: CONFIGMAP('before-etcd-restart', 'earlier') });
      let log = '';
      const watcher = k.run(['get', 'configmaps', '-l', 'app=etcd-e2e', '-w', '--watch-only', '-o', 'name', '--request-timeout=15s', '-v=6'], {
        timeoutMs: 25_000,
        onStderr: (chunk) => (log += chunk),
      });
      await pollUntil('kubectl get -w to open its watch', async () => (/configmaps\?\S*watch=true/.test(log) ? true : undefined));
      await etcd.restart();
      // The server reconnects on its own; the first write may still see the old connection fail.
      await pollUntil('a write after the etcd restart', async () =>
        (await k.run(['apply', '-f', '-'], { input: CONFIGMAP('after-etcd-restart', 'later') })).code === 0 ? true : undefined,
      );
      assert.equal(await dataKey('before-etcd-restart'), 'earlier');
      assert.equal(await dataKey('after-etcd-restart'), 'later');
      const result = await watcher;
      assert.match(result.stdout, /^configmap\/after-etcd-restart$/m, result.stdout + result.stderr);
    });

    test('data survives a server restart on the same etcd', async () => {
      await k.ok(['apply', '-f', '-'], { input: CONFIGMAP('durable', 'kept') });
      const before = JSON.parse(await k.ok(['get', 'configmap', 'durable', '-o', 'json']));
      await cluster.restart();
      const after = JSON.parse(await k.ok(['get', 'configmap', 'durable', '-o', 'json']));
      assert.equal(after.data.key, 'kept');
      assert.equal(after.metadata.uid, before.metadata.uid);
      assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
      assert.equal(await k.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}']), '4');
      // Writes after the restart continue the same revision sequence.
      await k.ok(['patch', 'configmap', 'durable', '--type=merge', '-p', '{"data":{"key":"changed"}}']);
      const patched = JSON.parse(await k.ok(['get', 'configmap', 'durable', '-o', 'json']));
      assert.equal(patched.data.key, 'changed');
      assert.ok(Number(patched.metadata.resourceVersion) > Number(before.metadata.resourceVersion));
    });
  });
}
