/**
 * e2e: the garbage collector of a real `k8ts server`, driven by kubectl's cascading
 * deletes with ConfigMaps as owners and dependents: background deletes the
 * dependents, orphan keeps them without the owner reference, foreground keeps the
 * owner (with the `foregroundDeletion` finalizer) until its dependents are gone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BoundKubectl } from '../support/boundKubectl.js';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { kubectlBinaries, startCluster } from '../support/cluster.js';
import { pollUntil } from '../support/poll.js';

interface ConfigMapView {
  metadata: { deletionTimestamp?: string; finalizers?: string[]; ownerReferences?: { name: string }[] };
}

/** A dependent ConfigMap owned by `owner` (with its uid), optionally blocking it and held by a finalizer. */
function dependent(name: string, owner: string, uid: string, held = false): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  ownerReferences:
  - apiVersion: v1
    kind: ConfigMap
    name: ${owner}
    uid: ${uid}
    blockOwnerDeletion: true
${held ? '  finalizers:\n  - example.com/hold\n' : ''}`;
}

describe('kubectl delete --cascade with the garbage collector', () => {
  let cluster: TestCluster;
  const k: BoundKubectl = bindKubectl(() => cluster, kubectlBinaries()[0]!.path);

  before(async () => {
    cluster = await startCluster();
  });
  after(async () => {
    const complaints = (cluster?.output() ?? '').split('\n').filter((line) => line.includes('garbage-collector controller'));
    assert.deepEqual(complaints, [], 'the garbage collector reported no problems');
    const code = await cluster?.stop();
    assert.equal(code, 0, 'the server shuts down cleanly');
  });

  /** Creates owner `name` and dependents of it; returns the owner's uid. */
  async function family(owner: string, dependents: string[], held: string[] = []): Promise<string> {
    await k.ok(['create', 'configmap', owner]);
    const uid = await k.ok(['get', 'configmap', owner, '-o', 'jsonpath={.metadata.uid}']);
    const manifests = [...dependents.map((d) => dependent(d, owner, uid)), ...held.map((d) => dependent(d, owner, uid, true))];
    await k.ok(['apply', '-f', '-'], { input: manifests.join('---\n') });
    return uid;
  }

  async function view(name: string): Promise<ConfigMapView | undefined> {
    const result = await k.run(['get', 'configmap', name, '-o', 'json']);
    return result.code === 0 ? (JSON.parse(result.stdout) as ConfigMapView) : undefined;
  }

  test('background (default): the dependents are deleted after the owner', async () => {
    await family('bg-owner', ['bg-dep-1', 'bg-dep-2']);
    assert.equal(await k.ok(['delete', 'configmap', 'bg-owner']), 'configmap "bg-owner" deleted\n');
    await k.ok(['wait', '--for=delete', 'configmap/bg-dep-1', 'configmap/bg-dep-2', '--timeout=20s'], { timeoutMs: 30_000 });
    assert.equal(await k.ok(['get', 'configmaps', '-o', 'name', '--ignore-not-found', 'bg-dep-1', 'bg-dep-2']), '');
  });

  test('orphan: the dependents stay, without the owner reference', async () => {
    await family('orphan-owner', ['orphan-dep']);
    assert.equal(await k.ok(['delete', 'configmap', 'orphan-owner', '--cascade=orphan', '--timeout=20s'], { timeoutMs: 30_000 }), 'configmap "orphan-owner" deleted\n');
    assert.equal(await view('orphan-owner'), undefined);
    const dep = await view('orphan-dep');
    assert.ok(dep, 'the dependent stays');
    assert.equal(dep.metadata.ownerReferences, undefined);
  });

  test('foreground: the owner waits with the foregroundDeletion finalizer until its dependents are gone', async () => {
    await family('fg-owner', ['fg-dep'], ['fg-held']);
    assert.equal(await k.ok(['delete', 'configmap', 'fg-owner', '--cascade=foreground', '--wait=false']), 'configmap "fg-owner" deleted\n');
    await k.ok(['wait', '--for=delete', 'configmap/fg-dep', '--timeout=20s'], { timeoutMs: 30_000 });
    await pollUntil('fg-held being deleted', async () => ((await view('fg-held'))?.metadata.deletionTimestamp ? true : undefined), 20_000, 200);
    const owner = await view('fg-owner');
    assert.ok(owner?.metadata.deletionTimestamp, 'the owner is being deleted');
    assert.deepEqual(owner.metadata.finalizers, ['foregroundDeletion']);

    await k.ok(['patch', 'configmap', 'fg-held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await k.ok(['wait', '--for=delete', 'configmap/fg-owner', 'configmap/fg-held', '--timeout=20s'], { timeoutMs: 30_000 });
  });
});
