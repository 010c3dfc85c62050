/**
 * e2e: the real kubectl (newest on PATH and 1.27) against a real `k8ts server` on
 * SQLite: discovery, create/get/apply/label/annotate/patch/delete, watch, errors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestCluster } from '../support/cluster.js';
import { kubectl, kubectlBinaries, startCluster } from '../support/cluster.js';
import { bindKubectl } from '../support/boundKubectl.js';

const CONFIGMAP = (name: string, value: string): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  labels:
    app: demo
data:
  key: ${value}
`;

for (const { version, path: bin } of kubectlBinaries()) {
  describe(`kubectl ${version}`, () => {
    let cluster: TestCluster;
    const bound = bindKubectl(() => cluster, bin);
    const k = (args: string[], input?: string) => bound.run(args, input !== undefined ? { input } : {});
    const ok = (args: string[], input?: string) => bound.ok(args, input !== undefined ? { input } : {});

    before(async () => {
      cluster = await startCluster();
    });
    after(async () => {
      await cluster?.stop();
    });

    test('version and discovery', async () => {
      const out = JSON.parse(await ok(['version', '-o', 'json']));
      assert.equal(out.serverVersion.major, '1');
      const resources = await ok(['api-resources']);
      for (const name of ['pods', 'deployments', 'configmaps', 'leases', 'endpointslices', 'poddisruptionbudgets']) {
        assert.match(resources, new RegExp(`^${name}\\s`, 'm'));
      }
      assert.match(resources, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      const versions = await ok(['api-versions']);
      assert.match(versions, /^apps\/v1$/m);
      assert.match(versions, /^v1$/m);
    });

    test('system namespaces exist', async () => {
      const names = (await ok(['get', 'namespaces', '-o', 'name'])).split('\n');
      for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.ok(names.includes(`namespace/${ns}`), names.join(','));
    });

    test('create, get in every output format, and delete a ConfigMap', async () => {
      await ok(['create', '-f', '-'], CONFIGMAP('cm1', 'one'));
      const obj = JSON.parse(await ok(['get', 'configmap', 'cm1', '-o', 'json']));
      assert.equal(obj.data.key, 'one');
      assert.match(obj.metadata.uid, /^[0-9a-f-]{36}$/);
      assert.match(await ok(['get', 'cm', 'cm1', '-o', 'yaml']), /key: one/);
      assert.equal((await ok(['get', 'cm', 'cm1', '-o', 'name'])).trim(), 'configmap/cm1');
      assert.equal(await ok(['get', 'cm', 'cm1', '-o', 'jsonpath={.data.key}']), 'one');
      assert.match(await ok(['get', 'cm', 'cm1', '-o', 'custom-columns=NAME:.metadata.name,KEY:.data.key']), /cm1\s+one/);
      assert.match(await ok(['get', 'cm', 'cm1']), /^NAME\s+DATA\s+AGE\ncm1\s+1\s+/);
      const dup = await k(['create', '-f', '-'], CONFIGMAP('cm1', 'one'));
      assert.notEqual(dup.code, 0);
      assert.match(dup.stderr, /AlreadyExists|already exists/);
      assert.match(await ok(['delete', 'cm', 'cm1']), /configmap "cm1" deleted/);
      const gone = await k(['get', 'cm', 'cm1']);
      assert.notEqual(gone.code, 0);
      assert.match(gone.stderr, /configmaps "cm1" not found/);
    });

    test('label, annotate and the three patch types', async () => {
      await ok(['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm2\ndata:\n  a: "1"\n');
      await ok(['label', 'cm', 'cm2', 'tier=web']);
      await ok(['annotate', 'cm', 'cm2', 'note=hello']);
      await ok(['patch', 'cm', 'cm2', '--type=merge', '-p', '{"data":{"b":"2"}}']);
      await ok(['patch', 'cm', 'cm2', '--type=json', '-p', '[{"op":"replace","path":"/data/a","value":"10"}]']);
      await ok(['patch', 'cm', 'cm2', '-p', '{"data":{"c":"3"}}']);
      const obj = JSON.parse(await ok(['get', 'cm', 'cm2', '-o', 'json']));
      assert.deepEqual(obj.data, { a: '10', b: '2', c: '3' });
      assert.equal(obj.metadata.labels.tier, 'web');
      assert.equal(obj.metadata.annotations.note, 'hello');
      assert.match(await ok(['get', 'cm', '-l', 'tier=web', '-o', 'name']), /configmap\/cm2/);
      assert.equal((await ok(['get', 'cm', '-l', 'tier=other', '-o', 'name'])).trim(), '');
      await ok(['delete', 'cm', 'cm2']);
    });

    test('apply, re-apply with a change, server-side dry run', async () => {
      await ok(['apply', '-f', '-'], CONFIGMAP('cm3', 'v1'));
      await ok(['apply', '-f', '-'], CONFIGMAP('cm3', 'v2'));
      assert.equal(await ok(['get', 'cm', 'cm3', '-o', 'jsonpath={.data.key}']), 'v2');
      await ok(['apply', '--dry-run=server', '-f', '-'], CONFIGMAP('cm3', 'v3'));
      assert.equal(await ok(['get', 'cm', 'cm3', '-o', 'jsonpath={.data.key}']), 'v2');
      await ok(['delete', 'cm', 'cm3']);
    });

    test('get -w sees creates, updates and deletes', async () => {
      await ok(['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\ndata:\n  a: "1"\n');
      const watcher = kubectl(cluster, ['get', 'cm', 'watched', '-w', '-o', 'jsonpath={.data.a}{"\\n"}', '--request-timeout=15s'], { bin, timeoutMs: 20_000 });
      await new Promise((r) => setTimeout(r, 1500));
      await ok(['patch', 'cm', 'watched', '--type=merge', '-p', '{"data":{"a":"2"}}']);
      await ok(['delete', 'cm', 'watched']);
      const result = await watcher;
      const lines = result.stdout.trim().split('\n');
      assert.deepEqual(lines.slice(0, 2), ['1', '2'], result.stdout + result.stderr);
    });

    test('bad input gets upstream errors and changes nothing', async () => {
      const badName = await k(['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n');
      assert.notEqual(badName.code, 0);
      assert.match(badName.stderr, /Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
      const missingImage = await k(['create', '-f', '-'], 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n');
      assert.notEqual(missingImage.code, 0);
      assert.match(missingImage.stderr, /spec\.containers\[0\]\.image: Required value/);
      const unknown = await k(['get', 'frobnicators']);
      assert.notEqual(unknown.code, 0);
      assert.match(unknown.stderr, /the server doesn't have a resource type "frobnicators"/);
      assert.equal((await ok(['get', 'pods', '-o', 'name'])).trim(), '');
    });
  });
}
