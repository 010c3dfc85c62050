/**
 * e2e with the real kubectl (newest and 1.27): server-side apply with conflicts and
 * --force-conflicts, `kubectl scale` through the scale subresource, `auth can-i` and
 * `auth whoami` answered by the review APIs, strict field validation, and the object
 * size limit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { kubectlBinaries, startCluster } from '../support/cluster.js';
import { deploymentManifest } from '../support/manifests.js';

const manifest = (name: string, value: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  key: "${value}"\n`;

for (const binary of kubectlBinaries()) {
  describe(`kubectl ${binary.version}: writes`, () => {
    let cluster: TestCluster;
    const k = bindKubectl(() => cluster, binary.path);
    before(async () => {
      cluster = await startCluster();
    });
    after(() => cluster.stop());

    test('apply --server-side creates, records the manager, reports conflicts and forces', async () => {
      assert.match(await k.ok(['apply', '--server-side', '-f', '-'], { input: manifest('ssa', 'one') }), /configmap\/ssa serverside-applied/);
      const managers = await k.ok(['get', 'cm', 'ssa', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields[*].manager}/{.metadata.managedFields[*].operation}']);
      assert.equal(managers, 'kubectl/Apply');
      const conflict = await k.fails(['apply', '--server-side', '--field-manager=other', '-f', '-'], { input: manifest('ssa', 'two') });
      assert.match(conflict, /Apply failed with 1 conflict: conflict with "kubectl": \.data\.key/);
      assert.equal(await k.ok(['get', 'cm', 'ssa', '-o', 'jsonpath={.data.key}']), 'one');
      await k.ok(['apply', '--server-side', '--force-conflicts', '--field-manager=other', '-f', '-'], { input: manifest('ssa', 'two') });
      assert.equal(await k.ok(['get', 'cm', 'ssa', '-o', 'jsonpath={.data.key}']), 'two');
    });

    test('scale changes replicas through the scale subresource; --current-replicas guards it', async () => {
      await k.ok(['apply', '-f', '-'], { input: deploymentManifest('web', 1) });
      assert.match(await k.ok(['scale', 'deployment/web', '--replicas=3']), /deployment.apps\/web scaled/);
      assert.equal(await k.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '3');
      assert.match(await k.fails(['scale', 'deployment/web', '--current-replicas=2', '--replicas=4']), /Expected replicas to be 2, was 3/);
      assert.equal(await k.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '3');
      await k.ok(['scale', 'deployment/web', '--replicas=0']);
      assert.equal(await k.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '0');
    });

    test('auth can-i answers yes for the admin', async () => {
      assert.equal((await k.ok(['auth', 'can-i', 'create', 'pods'])).trim(), 'yes');
      assert.equal((await k.ok(['auth', 'can-i', '*', '*', '--all-namespaces'])).trim(), 'yes');
      assert.match(await k.ok(['auth', 'can-i', '--list']), /\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
    });

    test('auth whoami names the admin (kubectl 1.28+ asks authentication.k8s.io/v1)', { skip: binary.version === '1.27' }, async () => {
      const who = await k.ok(['auth', 'whoami']);
      assert.match(who, /Username\s+admin/);
      assert.match(who, /Groups\s+\[system:masters system:authenticated\]/);
    });

    test('unknown fields fail strict validation and are dropped with a warning otherwise', async () => {
      const bad = `${manifest('strict', 'v')}bogus: true\n`;
      const refused = await k.fails(['create', '--validate=strict', '-f', '-'], { input: bad });
      assert.match(refused, /strict decoding error: unknown field "bogus"/);
      await k.fails(['get', 'cm', 'strict']);
      const warned = await k.run(['create', '--validate=warn', '-f', '-'], { input: bad });
      assert.equal(warned.code, 0, warned.stderr);
      assert.match(warned.stderr, /Warning: unknown field "bogus"/);
      assert.equal(await k.ok(['get', 'cm', 'strict', '-o', 'jsonpath={.bogus}']), '');
    });

    test('an object over 1.5 MiB is refused and not stored', async () => {
      const env = `[{name: BLOB, value: "${'x'.repeat(1_600_000)}"}]`;
      const big = [
        'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: huge}',
        `spec: {selector: {matchLabels: {app: huge}}, template: {metadata: {labels: {app: huge}}, spec: {containers: [{name: c, image: busybox, env: ${env}}]}}}`,
      ].join('\n');
      assert.match(await k.fails(['create', '-f', '-'], { input: big }), /Request entity too large/);
      await k.fails(['get', 'deploy', 'huge']);
    });
  });
}
