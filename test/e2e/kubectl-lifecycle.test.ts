/**
 * e2e: the object lifecycle as kubectl users drive it (newest kubectl on PATH and 1.27,
 * against a real `k8ts server` on SQLite): describe, edit through $EDITOR, the delete
 * variants (--all, grace periods, --force, cascade policies), wait --for=delete, and
 * the wide pod table.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BoundKubectl } from '../support/boundKubectl.js';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { kubectlBinaries, startCluster } from '../support/cluster.js';
import { pollUntil } from '../support/poll.js';
import { deploymentManifest } from '../support/manifests.js';

/** A pod manifest; without `nodeName` the pod is unscheduled, so deleting it is immediate. */
/** A pod bound to `nodeName`, or one no scheduler binds (it names a scheduler that does not run). */
const POD = (name: string, extra: { namespace?: string; nodeName?: string; readinessGate?: string } = {}): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${extra.namespace ?? 'default'}
  labels:
    app: ${name}
spec:
${extra.nodeName !== undefined ? `  nodeName: ${extra.nodeName}\n` : '  schedulerName: no-such-scheduler\n'}${extra.readinessGate !== undefined ? `  readinessGates:\n  - conditionType: ${extra.readinessGate}\n` : ''}  containers:
  - name: main
    image: nginx:1.25
    ports:
    - containerPort: 80
`;

const CONFIGMAP = (name: string, namespace = 'default'): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ${namespace}
  labels:
    tier: lifecycle
data:
  color: blue
`;

const NAMESPACE = (name: string): string => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;


/**
 * Writes an executable editor script for `kubectl edit`: it runs `sed -i` with
 * `sedScript` on the file kubectl hands it, then appends what it saw to `<script>.seen`
 * (kubectl reopens the editor with the server's errors in a comment header).
 */
async function editorScript(dir: string, name: string, sedScript: string): Promise<{ path: string; seen: () => Promise<string> }> {
  const path = join(dir, name);
  const quoted = `'${sedScript.replaceAll("'", "'\\''")}'`;
  await writeFile(path, `#!/bin/sh\nset -e\nsed -i -e ${quoted} "$1"\ncat "$1" >> "$0.seen"\n`);
  await chmod(path, 0o755);
  return { path, seen: () => readFile(`${path}.seen`, 'utf8').catch(() => '') };
}

for (const { version, path: bin } of kubectlBinaries()) {
  describe(`kubectl ${version}: object lifecycle`, () => {
    let cluster: TestCluster;
    let scratch: string;
    let k: BoundKubectl;

    before(async () => {
      cluster = await startCluster();
      scratch = await mkdtemp(join(tmpdir(), 'k8ts-e2e-lifecycle-'));
      // kubectl keeps edit copies in TMPDIR; keep them inside this test's scratch dir.
      k = bindKubectl(() => cluster, bin, { TMPDIR: scratch });
    });
    after(async () => {
      await cluster?.stop();
      if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
    });

    const jsonpath = (resource: string[], path: string): Promise<string> => k.ok(['get', ...resource, '-o', `jsonpath=${path}`]);

    test('describe a pod shows its spec and its events', async () => {
      await k.ok(['apply', '-f', '-'], { input: POD('described') });
      const uid = await jsonpath(['pod', 'described'], '{.metadata.uid}');
      await k.ok(['create', '-f', '-'], {
        input: `apiVersion: v1
kind: Event
metadata:
  name: described.e2e
involvedObject:
  apiVersion: v1
  kind: Pod
  name: described
  namespace: default
  uid: ${uid}
reason: CheckedByTest
message: the e2e test was here
type: Normal
source:
  component: e2e-test
count: 1
firstTimestamp: "2024-01-01T00:00:00Z"
lastTimestamp: "2024-01-01T00:00:00Z"
`,
      });
      const out = await k.ok(['describe', 'pod', 'described']);
      for (const line of [/^Name:\s+described$/m, /^Namespace:\s+default$/m, /^Node:\s+<none>$/m, /^Labels:\s+app=described$/m, /^Status:\s+Pending$/m]) {
        assert.match(out, line);
      }
      assert.match(out, /^Containers:\n {2}main:\n {4}Image:\s+nginx:1\.25\n {4}Port:\s+80\/TCP$/m);
      assert.match(out, /^QoS Class:\s+BestEffort$/m);
      assert.match(out, /^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n[\s-]+\n\s+Normal\s+CheckedByTest\s+\S+\s+e2e-test\s+the e2e test was here$/m);
    });

    test('describe a configmap and a namespace', async () => {
      await k.ok(['apply', '-f', '-'], { input: CONFIGMAP('described-cm') });
      const cm = await k.ok(['describe', 'configmap', 'described-cm']);
      assert.match(cm, /^Name:\s+described-cm$/m);
      assert.match(cm, /^Labels:\s+tier=lifecycle$/m);
      assert.match(cm, /^Data\n====\ncolor:\n----\nblue$/m);
      assert.match(cm, /^Events:\s+<none>$/m);
      await k.ok(['apply', '-f', '-'], { input: NAMESPACE('described-ns') });
      const ns = await k.ok(['describe', 'namespace', 'described-ns']);
      assert.match(ns, /^Name:\s+described-ns$/m);
      assert.match(ns, /^Labels:\s+kubernetes\.io\/metadata\.name=described-ns$/m);
      assert.match(ns, /^Status:\s+Active$/m);
      assert.match(ns, /^No resource quota\.$/m);
    });

    test('edit through $EDITOR changes the object', async () => {
      await k.ok(['apply', '-f', '-'], { input: CONFIGMAP('edited') });
      const editor = await editorScript(scratch, 'recolor.sh', 's/^  color: blue$/  color: green/');
      assert.match(await k.ok(['edit', 'configmap', 'edited'], { env: { EDITOR: editor.path } }), /configmap\/edited edited/);
      assert.equal(await jsonpath(['configmap', 'edited'], '{.data.color}'), 'green');

      await k.ok(['apply', '-f', '-'], { input: deploymentManifest('edited') });
      const rescale = await editorScript(scratch, 'rescale.sh', 's/^  replicas: 2$/  replicas: 5/');
      await k.ok(['edit', 'deployment', 'edited'], { env: { EDITOR: rescale.path } });
      assert.equal(await jsonpath(['deployment', 'edited'], '{.spec.replicas}'), '5');
    });

    // kubectl sends the edit of a list item as a strategic merge patch with $setElementOrder.
    test('edit of a container image in a pod', async () => {
      await k.ok(['apply', '-f', '-'], { input: POD('reimaged') });
      const editor = await editorScript(scratch, 'reimage.sh', 's/image: nginx:1\\.25$/image: nginx:1.26/');
      await k.ok(['edit', 'pod', 'reimaged'], { env: { EDITOR: editor.path } });
      assert.equal(await jsonpath(['pod', 'reimaged'], '{.spec.containers[0].image}'), 'nginx:1.26');
    });

    test('an edit producing an invalid object fails with the server error and changes nothing', async () => {
      await k.ok(['apply', '-f', '-'], { input: deploymentManifest('badly-edited') });
      const editor = await editorScript(scratch, 'negative.sh', 's/^  replicas: 2$/  replicas: -1/');
      const stderr = await k.fails(['edit', 'deployment', 'badly-edited'], { env: { EDITOR: editor.path } });
      assert.match(stderr, /deployments\.apps "badly-edited" is invalid/);
      // kubectl reopens the file with the server's field errors in its comment header.
      assert.match(await editor.seen(), /^# \* spec\.replicas: Invalid value: -1: must be greater than or equal to 0$/m);
      assert.equal(await jsonpath(['deployment', 'badly-edited'], '{.spec.replicas}'), '2');

      await k.ok(['apply', '-f', '-'], { input: CONFIGMAP('badly-keyed') });
      const rekey = await editorScript(scratch, 'rekey.sh', 's/^  color: blue$/  "bad key": blue/');
      assert.match(await k.fails(['edit', 'configmap', 'badly-keyed'], { env: { EDITOR: rekey.path } }), /configmaps "badly-keyed" is invalid/);
      assert.match(await rekey.seen(), /^# \* data\[bad key\]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters/m);
      assert.equal(await jsonpath(['configmap', 'badly-keyed'], '{.data}'), '{"color":"blue"}');
    });

    test('delete --all removes every object of the kind in one namespace only', async () => {
      await k.ok(['apply', '-f', '-'], { input: NAMESPACE('sweep') });
      for (const name of ['one', 'two', 'three']) await k.ok(['apply', '-f', '-'], { input: CONFIGMAP(name, 'sweep') });
      await k.ok(['apply', '-f', '-'], { input: CONFIGMAP('bystander') });
      const out = await k.ok(['delete', 'configmaps', '--all', '-n', 'sweep']);
      for (const name of ['one', 'two', 'three']) assert.match(out, new RegExp(`configmap "${name}" deleted`));
      // kube-root-ca.crt is deleted too, and its publisher puts it back, as upstream's does.
      const left = (await k.ok(['get', 'configmaps', '-n', 'sweep', '-o', 'name'])).split('\n').filter((name) => name !== '' && name !== 'configmap/kube-root-ca.crt');
      assert.deepEqual(left, []);
      assert.equal((await k.ok(['get', 'configmap', 'bystander', '-o', 'name'])).trim(), 'configmap/bystander');
    });

    test('pods without a node vanish at once, whatever the grace period', async () => {
      await k.ok(['apply', '-f', '-'], { input: POD('forced') });
      const forced = await k.run(['delete', 'pod', 'forced', '--grace-period=0', '--force']);
      assert.equal(forced.code, 0, forced.stderr);
      assert.match(forced.stdout, /pod "forced" force deleted/);
      assert.match(forced.stderr, /Immediate deletion does not wait for confirmation/);
      assert.match(await k.fails(['get', 'pod', 'forced']), /pods "forced" not found/);

      await k.ok(['apply', '-f', '-'], { input: POD('graceful') });
      assert.match(await k.ok(['delete', 'pod', 'graceful', '--grace-period=30', '--wait=false']), /pod "graceful" deleted/);
      assert.match(await k.fails(['get', 'pod', 'graceful']), /pods "graceful" not found/);
    });

    test('a pod on a node terminates gracefully until forced', async () => {
      await k.ok(['apply', '-f', '-'], { input: POD('bound', { nodeName: 'node-a' }) });
      await k.ok(['delete', 'pod', 'bound', '--grace-period=45', '--wait=false']);
      assert.notEqual(await jsonpath(['pod', 'bound'], '{.metadata.deletionTimestamp}'), '');
      assert.equal(await jsonpath(['pod', 'bound'], '{.metadata.deletionGracePeriodSeconds}'), '45');
      assert.match(await k.ok(['get', 'pod', 'bound']), /^bound\s+0\/1\s+Terminating\s/m);
      await k.ok(['delete', 'pod', 'bound', '--grace-period=0', '--force']);
      assert.match(await k.fails(['get', 'pod', 'bound']), /pods "bound" not found/);
    });

    test('delete --cascade=background removes the object', async () => {
      await k.ok(['apply', '-f', '-'], { input: deploymentManifest('background') });
      assert.match(await k.ok(['delete', 'deployment', 'background', '--cascade=background']), /deployment\.apps "background" deleted/);
      assert.match(await k.fails(['get', 'deployment', 'background']), /deployments\.apps "background" not found/);
    });

    // Orphan and foreground deletion mark the object with the policy's finalizer; the
    // garbage collector handles the dependents (none here) and removes it, so kubectl's
    // wait for the deletion returns.
    for (const cascade of ['orphan', 'foreground'] as const) {
      test(`delete --cascade=${cascade} completes once the garbage collector has removed its finalizer`, async () => {
        const name = `cascade-${cascade}`;
        await k.ok(['apply', '-f', '-'], { input: deploymentManifest(name) });
        assert.match(await k.ok(['delete', 'deployment', name, `--cascade=${cascade}`, '--timeout=60s']), new RegExp(`deployment\\.apps "${name}" deleted`));
        assert.match(await k.fails(['get', 'deployment', name]), new RegExp(`deployments\\.apps "${name}" not found`));
      });
    }

    test('wait --for=delete returns once another process deletes the object', async () => {
      await k.ok(['apply', '-f', '-'], { input: CONFIGMAP('awaited') });
      let log = '';
      const waiting = k.run(['wait', '--for=delete', 'configmap/awaited', '--timeout=60s', '-v=6'], {
        timeoutMs: 90_000,
        onStderr: (chunk) => (log += chunk),
      });
      // -v=6 logs each request: once the watch is open, the deletion must be seen through it.
      await pollUntil('kubectl wait to open its watch', async () => (/configmaps\?\S*watch=true/.test(log) ? true : undefined));
      await k.ok(['delete', 'configmap', 'awaited']);
      const result = await waiting;
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /configmap\/awaited condition met/);
    });

    test('wait --for=delete gives up at its timeout while the object stays', async () => {
      await k.ok(['apply', '-f', '-'], { input: CONFIGMAP('staying') });
      const stderr = await k.fails(['wait', '--for=delete', 'configmap/staying', '--timeout=2s']);
      assert.match(stderr, /timed out waiting for the condition on configmaps\/staying/);
      assert.equal((await k.ok(['get', 'configmap', 'staying', '-o', 'name'])).trim(), 'configmap/staying');
    });

    test('get -o wide shows IP, node, nominated node and readiness gates', async () => {
      await k.ok(['apply', '-f', '-'], { input: NAMESPACE('wide') });
      await k.ok(['apply', '-f', '-'], { input: POD('unscheduled', { namespace: 'wide' }) });
      await k.ok(['apply', '-f', '-'], { input: POD('gated', { namespace: 'wide', nodeName: 'node-a', readinessGate: 'example.com/ready' }) });
      const out = await k.ok(['get', 'pods', '-n', 'wide', '-o', 'wide']);
      const [header, ...rows] = out.trimEnd().split('\n');
      assert.match(header ?? '', /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
      assert.match(rows.join('\n'), /^gated\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+node-a\s+<none>\s+0\/1$/m);
      assert.match(rows.join('\n'), /^unscheduled\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+<none>\s+<none>\s+<none>$/m);
      await k.ok(['delete', 'pods', '--all', '-n', 'wide', '--grace-period=0', '--force']);
    });
  });
}
