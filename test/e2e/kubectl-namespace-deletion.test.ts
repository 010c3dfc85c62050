/**
 * e2e: `kubectl delete namespace` against a real `k8ts server`, whose controller
 * manager empties the namespace and releases it (newest kubectl on PATH and 1.27).
 * A namespace whose content is held by a finalizer shows Terminating with upstream's
 * deletion conditions until the finalizer is removed. The tests of both kubectl
 * versions run concurrently: each mostly waits for the controller's 5 s delay.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BoundKubectl } from '../support/boundKubectl.js';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { kubectlBinaries, startCluster } from '../support/cluster.js';
import { pollUntil } from '../support/poll.js';

/** A namespace with configmaps, a secret, a deployment and an (unscheduled) pod. */
const POPULATED = (ns: string): string => `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${ns}
data:
  color: blue
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: more-settings
  namespace: ${ns}
data:
  size: large
---
apiVersion: v1
kind: Secret
metadata:
  name: token
  namespace: ${ns}
stringData:
  token: s3cr3t
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: main
        image: nginx:1.25
---
apiVersion: v1
kind: Pod
metadata:
  name: loose
  namespace: ${ns}
spec:
  containers:
  - name: main
    image: nginx:1.25
`;

/** A namespace holding a pod with a custom finalizer. */
const HELD = (ns: string): string => `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
---
apiVersion: v1
kind: Pod
metadata:
  name: held
  namespace: ${ns}
  finalizers:
  - example.com/hold
spec:
  containers:
  - name: main
    image: nginx:1.25
`;

interface NamespaceView {
  metadata: { deletionTimestamp?: string };
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

describe('kubectl delete namespace', { concurrency: true }, () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startCluster();
  });
  after(async () => {
    const code = await cluster?.stop();
    assert.equal(code, 0, 'the server shuts down cleanly, controllers first');
  });

  for (const { version, path: bin } of kubectlBinaries()) {
    const suffix = version.replace(/\W/g, '');
    const k: BoundKubectl = bindKubectl(() => cluster, bin);

    test(`kubectl ${version}: delete returns once the namespace and all its content are gone`, async () => {
      const ns = `populated-${suffix}`;
      await k.ok(['apply', '-f', '-'], { input: POPULATED(ns) });
      assert.match(await k.ok(['get', 'configmaps,secrets,deployments,pods', '-n', ns, '-o', 'name']), /configmap\/settings[\s\S]*secret\/token[\s\S]*deployment\.apps\/web[\s\S]*pod\/loose/);

      assert.equal(await k.ok(['delete', 'namespace', ns, '--timeout=60s'], { timeoutMs: 90_000 }), `namespace "${ns}" deleted\n`);
      assert.match(await k.fails(['get', 'namespace', ns]), new RegExp(`^Error from server \\(NotFound\\): namespaces "${ns}" not found`));
      const left = await k.run(['get', 'configmaps,secrets,deployments,pods', '-n', ns, '-o', 'name']);
      assert.equal(left.code, 0, left.stderr);
      assert.equal(left.stdout, '');
    });

    test(`kubectl ${version}: a namespace held by a finalizer is Terminating with upstream's conditions until released`, async () => {
      const ns = `held-${suffix}`;
      await k.ok(['apply', '-f', '-'], { input: HELD(ns) });
      assert.equal(await k.ok(['delete', 'namespace', ns, '--wait=false']), `namespace "${ns}" deleted\n`);

      const view = await pollUntil(
        `conditions on ${ns}`,
        async () => {
          const current = JSON.parse(await k.ok(['get', 'namespace', ns, '-o', 'json'])) as NamespaceView;
          return current.status?.conditions?.some((c) => c.type === 'NamespaceFinalizersRemaining') ? current : undefined;
        },
        30_000,
        250,
      );
      assert.equal(view.status?.phase, 'Terminating');
      assert.ok(view.metadata.deletionTimestamp);
      assert.deepEqual(view.spec?.finalizers, ['kubernetes']);
      assert.deepEqual(
        view.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
        [
          ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'],
          ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
          ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
          ['NamespaceContentRemaining', 'True', 'SomeResourcesRemain', 'Some resources are remaining: pods. has 1 resource instances'],
          ['NamespaceFinalizersRemaining', 'True', 'SomeFinalizersRemain', 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances'],
        ],
      );
      const yaml = await k.ok(['get', 'namespace', ns, '-o', 'yaml']);
      assert.match(yaml, /^ {2}phase: Terminating$/m);
      assert.match(yaml, /^ {4}reason: SomeFinalizersRemain$/m);
      assert.match(await k.fails(['create', 'configmap', 'late', '-n', ns]), /unable to create new content in namespace .* because it is being terminated/);

      await k.ok(['patch', 'pod', 'held', '-n', ns, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
      await k.ok(['wait', '--for=delete', `namespace/${ns}`, '--timeout=60s'], { timeoutMs: 90_000 });
      assert.match(await k.fails(['get', 'namespace', ns]), /NotFound/);
    });
  }
});
