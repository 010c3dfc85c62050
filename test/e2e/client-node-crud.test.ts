/**
 * e2e: the official JavaScript client (@kubernetes/client-node 1.4) against a real
 * `k8ts server`: listing, creating in a loop, AlreadyExists, label selectors, and
 * every patch type the client can send (merge, strategic merge, JSON patch, apply).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppsV1Api, CoreV1Api, KubernetesObjectApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { V1ConfigMap, V1Deployment } from '@kubernetes/client-node';
import type { TestCluster } from '../support/cluster.js';
import { startCluster } from '../support/cluster.js';
import { kubeConfigFor, rejection } from '../support/clientNode.js';

const configMap = (name: string, labels: Record<string, string>, data: Record<string, string>): V1ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

/** client-node 1.x picks the patch type by overriding Content-Type through request middleware. */
const patchAs = (strategy: PatchStrategy) => setHeaderOptions('Content-Type', strategy);

describe('@kubernetes/client-node: list, create, patch', () => {
  let cluster: TestCluster;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let objects: KubernetesObjectApi;

  const createNamespace = async (name: string): Promise<void> => {
    await core.createNamespace({ body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  };

  before(async () => {
    cluster = await startCluster();
    const config = kubeConfigFor(cluster);
    core = config.makeApiClient(CoreV1Api);
    apps = config.makeApiClient(AppsV1Api);
    objects = KubernetesObjectApi.makeApiClient(config);
  });
  after(async () => {
    await cluster?.stop();
  });

  test('listNamespace sees the system namespaces', async () => {
    const list = await core.listNamespace();
    const names = list.items.map((ns) => ns.metadata?.name);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.ok(names.includes(ns), names.join(','));
    assert.match(list.metadata?.resourceVersion ?? '', /^\d+$/);
  });

  test('50 ConfigMaps created one by one, 20 more concurrently: all listed, each with its own resourceVersion', async () => {
    const namespace = 'loop';
    await createNamespace(namespace);
    const created: V1ConfigMap[] = [];
    for (let i = 0; i < 50; i++) {
      created.push(await core.createNamespacedConfigMap({ namespace, body: configMap(`seq-${i}`, { batch: 'seq', parity: i % 2 === 0 ? 'even' : 'odd' }, { index: String(i) }) }));
    }
    const concurrent = await Promise.all(
      Array.from({ length: 20 }, (_, i) => core.createNamespacedConfigMap({ namespace, body: configMap(`par-${i}`, { batch: 'par' }, { index: String(i) }) })),
    );
    created.push(...concurrent);

    const versions = created.map((cm) => cm.metadata?.resourceVersion ?? '');
    assert.equal(new Set(versions).size, 70, 'every create returns a distinct resourceVersion');
    const sequential = versions.slice(0, 50).map(Number);
    assert.deepEqual(sequential, [...sequential].sort((a, b) => a - b), 'sequential creates get increasing resourceVersions');

    const all = await core.listNamespacedConfigMap({ namespace });
    const listed = new Map(all.items.map((cm) => [cm.metadata?.name, cm]));
    for (const cm of created) {
      const name = cm.metadata?.name;
      assert.equal(listed.get(name)?.metadata?.resourceVersion, cm.metadata?.resourceVersion, `list shows ${name} as created`);
      assert.equal(listed.get(name)?.metadata?.uid, cm.metadata?.uid);
    }
    assert.ok(Number(all.metadata?.resourceVersion) >= Math.max(...versions.map(Number)), 'list resourceVersion covers every create');

    const even = await core.listNamespacedConfigMap({ namespace, labelSelector: 'batch=seq,parity=even' });
    assert.deepEqual(even.items.map((cm) => cm.data?.index).sort((a, b) => Number(a) - Number(b)), Array.from({ length: 25 }, (_, i) => String(i * 2)));
    const par = await core.listNamespacedConfigMap({ namespace, labelSelector: 'batch in (par)' });
    assert.equal(par.items.length, 20);
    // kube-root-ca.crt, which the root-CA publisher keeps in every namespace (as upstream's), is not the test's.
    const own = (items: V1ConfigMap[]): V1ConfigMap[] => items.filter((cm) => cm.metadata?.name !== 'kube-root-ca.crt');
    const noneOf = await core.listNamespacedConfigMap({ namespace, labelSelector: '!parity' });
    assert.deepEqual(own(noneOf.items).map((cm) => cm.metadata?.labels?.batch).filter((b) => b !== 'par'), []);

    const page = await core.listNamespacedConfigMap({ namespace, limit: 30 });
    assert.equal(page.items.length, 30);
    assert.ok(page.metadata?._continue, 'a limited list returns a continue token');
    const rest = await core.listNamespacedConfigMap({ namespace, limit: 100, _continue: page.metadata?._continue });
    assert.equal(own([...page.items, ...rest.items]).length, 70);
  });

  test('creating a duplicate is an ApiException 409 with reason AlreadyExists', async () => {
    const namespace = 'dup';
    await createNamespace(namespace);
    await core.createNamespacedConfigMap({ namespace, body: configMap('twice', {}, { a: '1' }) });
    const { code, status } = await rejection(core.createNamespacedConfigMap({ namespace, body: configMap('twice', {}, { a: '2' }) }));
    assert.equal(code, 409);
    assert.equal(status.kind, 'Status');
    assert.equal(status.status, 'Failure');
    assert.equal(status.reason, 'AlreadyExists');
    assert.equal(status.code, 409);
    assert.equal(status.message, 'configmaps "twice" already exists');
    assert.deepEqual(status.details, { name: 'twice', kind: 'configmaps' });
    const kept = await core.readNamespacedConfigMap({ namespace, name: 'twice' });
    assert.deepEqual(kept.data, { a: '1' });

    const missing = await rejection(core.readNamespacedConfigMap({ namespace, name: 'never' }));
    assert.equal(missing.code, 404);
    assert.equal(missing.status.reason, 'NotFound');
  });

  test('merge patch, strategic merge patch and JSON patch on a ConfigMap', async () => {
    const namespace = 'patch';
    const name = 'patched';
    await createNamespace(namespace);
    const original = await core.createNamespacedConfigMap({ namespace, body: configMap(name, { tier: 'web' }, { a: '1', b: '2' }) });

    const merged = await core.patchNamespacedConfigMap(
      { namespace, name, body: { metadata: { labels: { role: 'cache' } }, data: { b: null, c: '3' } } },
      patchAs(PatchStrategy.MergePatch),
    );
    assert.deepEqual(merged.data, { a: '1', c: '3' });
    assert.deepEqual(merged.metadata?.labels, { tier: 'web', role: 'cache' });
    assert.notEqual(merged.metadata?.resourceVersion, original.metadata?.resourceVersion);

    const strategic = await core.patchNamespacedConfigMap(
      { namespace, name, body: { metadata: { labels: { tier: null } }, data: { d: '4' } } },
      patchAs(PatchStrategy.StrategicMergePatch),
    );
    assert.deepEqual(strategic.data, { a: '1', c: '3', d: '4' });
    assert.deepEqual(strategic.metadata?.labels, { role: 'cache' });

    const jsonPatched = await core.patchNamespacedConfigMap(
      {
        namespace,
        name,
        body: [
          { op: 'test', path: '/data/a', value: '1' },
          { op: 'replace', path: '/data/a', value: '10' },
          { op: 'remove', path: '/data/c' },
          { op: 'add', path: '/metadata/annotations', value: { note: 'json' } },
        ],
      },
      patchAs(PatchStrategy.JsonPatch),
    );
    assert.deepEqual(jsonPatched.data, { a: '10', d: '4' });
    assert.deepEqual(jsonPatched.metadata?.annotations, { note: 'json' });

    const failedTest = await rejection(
      core.patchNamespacedConfigMap({ namespace, name, body: [{ op: 'test', path: '/data/a', value: 'nope' }] }, patchAs(PatchStrategy.JsonPatch)),
    );
    assert.equal(failedTest.code, 422);
    assert.equal(failedTest.status.reason, 'Invalid');

    const stored = await core.readNamespacedConfigMap({ namespace, name });
    assert.deepEqual(stored.data, { a: '10', d: '4' });
    assert.equal(stored.metadata?.resourceVersion, jsonPatched.metadata?.resourceVersion);
  });

  test('strategic merge patch merges containers by name where a merge patch replaces the list', async () => {
    const namespace = 'smp';
    await createNamespace(namespace);
    const deployment = (name: string): V1Deployment => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } },
      },
    });
    await apps.createNamespacedDeployment({ namespace, body: deployment('strategic') });
    await apps.createNamespacedDeployment({ namespace, body: deployment('merge') });
    const sidecar = { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.36' }] } } } };

    const strategic = await apps.patchNamespacedDeployment({ namespace, name: 'strategic', body: sidecar }, patchAs(PatchStrategy.StrategicMergePatch));
    assert.deepEqual(
      strategic.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`),
      ['sidecar=busybox:1.36', 'main=nginx:1.27'],
    );

    const merged = await apps.patchNamespacedDeployment({ namespace, name: 'merge', body: sidecar }, patchAs(PatchStrategy.MergePatch));
    assert.deepEqual(merged.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`), ['sidecar=busybox:1.36']);
  });

  test('server-side apply creates, updates and records the field manager, and reports conflicts', async () => {
    const namespace = 'apply';
    await createNamespace(namespace);
    const applied = (data: Record<string, string>): V1ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa', namespace }, data });

    const created = await core.patchNamespacedConfigMap(
      { namespace, name: 'ssa', fieldManager: 'client-node-e2e', body: applied({ owned: 'one', shared: 'x' }) },
      patchAs(PatchStrategy.ServerSideApply),
    );
    assert.deepEqual(created.data, { owned: 'one', shared: 'x' });
    const entry = created.metadata?.managedFields?.find((f) => f.manager === 'client-node-e2e');
    assert.equal(entry?.operation, 'Apply');
    assert.equal(entry?.fieldsType, 'FieldsV1');

    const updated = (await objects.patch(applied({ owned: 'two', shared: 'x' }), undefined, undefined, 'client-node-e2e', undefined, PatchStrategy.ServerSideApply)) as V1ConfigMap;
    assert.deepEqual(updated.data, { owned: 'two', shared: 'x' });

    const conflict = await rejection(
      core.patchNamespacedConfigMap({ namespace, name: 'ssa', fieldManager: 'other', body: applied({ shared: 'y' }) }, patchAs(PatchStrategy.ServerSideApply)),
    );
    assert.equal(conflict.code, 409);
    assert.equal(conflict.status.reason, 'Conflict');
    assert.match(conflict.status.message, /conflict with "client-node-e2e"/);

    const forced = await core.patchNamespacedConfigMap(
      { namespace, name: 'ssa', fieldManager: 'other', force: true, body: applied({ shared: 'y' }) },
      patchAs(PatchStrategy.ServerSideApply),
    );
    assert.deepEqual(forced.data, { owned: 'two', shared: 'y' });
    const managers = forced.metadata?.managedFields?.map((f) => f.manager).sort();
    assert.deepEqual(managers, ['client-node-e2e', 'other']);
  });
});
