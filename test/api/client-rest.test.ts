/**
 * The client library's RestClient against a real API server: every verb, with the
 * options a controller uses (selectors, paging, dry run, field managers, patch
 * formats, subresources, delete options), judged by what the server then holds.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { ConfigMap, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../src/api/object.js';
import { HttpsTransport, RestClient } from '../../src/client/index.js';
import type { ResourceTarget } from '../../src/client/index.js';
import { connect, type ConnectedClient } from '../support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';

type ConfigMapObject = KubeObject & ConfigMap;
type PodObject = KubeObject & Pod;
type DeploymentObject = KubeObject & Deployment;

const configMaps = (namespace?: string): ResourceTarget => ({ group: '', version: 'v1', resource: 'configmaps', ...(namespace ? { namespace } : {}) });
const pods = (namespace: string): ResourceTarget => ({ group: '', version: 'v1', resource: 'pods', namespace });
const deployments = (namespace: string): ResourceTarget => ({ group: 'apps', version: 'v1', resource: 'deployments', namespace });

function deployment(name: string): DeploymentObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'web', image: 'nginx:1' }, { name: 'sidecar', image: 'busybox:1' }] },
      },
    },
  };
}

const names = (objects: KubeObject[]): string[] => objects.map((o) => o.metadata.name!).sort();

describe('RestClient against a real API server', () => {
  let api: InProcessApi;
  let conn: ConnectedClient;
  before(async () => {
    api = await startInProcessApi();
    conn = connect(api, { userAgent: 'client-rest-test/1.0 (k8ts)' });
    for (const ns of ['red', 'blue']) await conn.client.create({ group: '', version: 'v1', resource: 'namespaces' }, { metadata: { name: ns } });
  });
  after(async () => {
    conn.close();
    await api.stop();
  });

  test('create fills in server fields; get reads the object back; the user agent names the field manager', async () => {
    const { client } = conn;
    const created = await client.create<ConfigMapObject>(configMaps('red'), { metadata: { name: 'settings' }, data: { mode: 'fast' } });
    assert.equal(created.kind, 'ConfigMap');
    assert.equal(created.metadata.namespace, 'red');
    assert.ok(created.metadata.uid);
    assert.ok(created.metadata.resourceVersion);
    assert.deepEqual(created.metadata.managedFields?.map((f) => f.manager), ['client-rest-test']);
    const got = await client.get<ConfigMapObject>(configMaps('red'), 'settings');
    assert.deepEqual(got.data, { mode: 'fast' });
    assert.equal(got.metadata.uid, created.metadata.uid);
  });

  test("a transport's user agent wins over the client's", async () => {
    const transport = new HttpsTransport({ server: api.url, userAgent: 'kubeconfig-agent/2.0' });
    try {
      const client = new RestClient(transport, { userAgent: 'client-rest-test/1.0' });
      const created = await client.create<ConfigMapObject>(configMaps('blue'), { metadata: { name: 'agents' }, data: { a: 'b' } });
      assert.deepEqual(created.metadata.managedFields?.map((f) => f.manager), ['kubeconfig-agent']);
    } finally {
      transport.close();
    }
  });

  test('dry-run create answers with the object and stores nothing; fieldManager names the manager', async () => {
    const { client } = conn;
    const dry = await client.create<ConfigMapObject>(configMaps('red'), { metadata: { name: 'dry' }, data: { a: 'b' } }, { dryRun: true, fieldManager: 'planner' });
    assert.equal(dry.metadata.name, 'dry');
    assert.equal(dry.metadata.managedFields?.[0]?.manager, 'planner');
    assert.deepEqual(names((await client.list(configMaps('red'), { fieldSelector: 'metadata.name=dry' })).items), []);
  });

  test('list filters by label and field selectors, in one namespace or all', async () => {
    const { client } = conn;
    for (const [ns, name, tier] of [['red', 'web-1', 'web'], ['red', 'db-1', 'db'], ['blue', 'web-2', 'web']] as const) {
      await client.create(configMaps(ns), { metadata: { name, labels: { tier, selected: 'yes' } } });
    }
    assert.deepEqual(names((await client.list(configMaps(), { labelSelector: 'selected=yes,tier=web' })).items), ['web-1', 'web-2']);
    assert.deepEqual(names((await client.list(configMaps('red'), { labelSelector: 'selected=yes,tier in (web,db)' })).items), ['db-1', 'web-1']);
    assert.deepEqual(names((await client.list(configMaps(), { labelSelector: 'selected', fieldSelector: 'metadata.namespace=blue' })).items), ['web-2']);
    assert.deepEqual(names((await client.list(configMaps(), { labelSelector: 'selected', fieldSelector: 'metadata.name!=web-1' })).items), ['db-1', 'web-2']);
    const list = await client.list(configMaps('red'), { labelSelector: 'selected' });
    assert.equal(list.kind, 'ConfigMapList');
    assert.ok(Number(list.metadata.resourceVersion) > 0);
  });

  test('list pages with limit and continue until the collection is exhausted', async () => {
    const { client } = conn;
    for (let i = 0; i < 5; i++) await client.create(configMaps('blue'), { metadata: { name: `page-${i}`, labels: { paged: 'yes' } } });
    const seen: string[] = [];
    const remaining: (number | undefined)[] = [];
    let token: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await client.list(configMaps('blue'), { labelSelector: 'paged=yes', limit: 2, continue: token });
      seen.push(...page.items.map((o) => o.metadata.name!));
      remaining.push(page.metadata.remainingItemCount);
      token = page.metadata.continue || undefined;
      if (token === undefined) break;
    }
    assert.deepEqual(seen, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    assert.equal(token, undefined);
    const unfiltered = await client.list(configMaps('blue'), { limit: 1 });
    assert.equal(unfiltered.items.length, 1);
    assert.ok(unfiltered.metadata.continue);
    assert.ok((unfiltered.metadata.remainingItemCount ?? 0) >= 5);
  });

  test('update replaces the object when its resourceVersion is current', async () => {
    const { client } = conn;
    const created = await client.create<ConfigMapObject>(configMaps('red'), { metadata: { name: 'updated' }, data: { a: '1', b: '2' } });
    const updated = await client.update<ConfigMapObject>(configMaps('red'), { ...created, data: { a: '10' } });
    assert.deepEqual(updated.data, { a: '10' });
    assert.notEqual(updated.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.deepEqual((await client.get<ConfigMapObject>(configMaps('red'), 'updated')).data, { a: '10' });
  });

  test('merge, JSON and strategic patches change what they name', async () => {
    const { client } = conn;
    await client.create(configMaps('red'), { metadata: { name: 'patched' }, data: { keep: 'x', drop: 'y' } });
    const merged = await client.patch<ConfigMapObject>(configMaps('red'), 'patched', 'merge', { data: { drop: null, added: 'z' } });
    assert.deepEqual(merged.data, { keep: 'x', added: 'z' });
    const jsonPatched = await client.patch<ConfigMapObject>(configMaps('red'), 'patched', 'json', [
      { op: 'test', path: '/data/keep', value: 'x' },
      { op: 'replace', path: '/data/keep', value: 'kept' },
    ]);
    assert.deepEqual(jsonPatched.data, { keep: 'kept', added: 'z' });

    // Strategic merge: containers merge by name, so the sidecar survives a patch naming only "web".
    await client.create(deployments('red'), deployment('shop'));
    const strategic = await client.patch<DeploymentObject>(deployments('red'), 'shop', 'strategic', {
      spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } },
    });
    const containers = strategic.spec!.template.spec!.containers.map((c) => `${c.name}=${c.image}`);
    assert.deepEqual(containers.sort(), ['sidecar=busybox:1', 'web=nginx:2']);
  });

  test('server-side apply creates, records its manager, and takes over fields only with force', async () => {
    const { client } = conn;
    const intent = (value: string): ConfigMapObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { owner: value } });
    const applied = await client.patch<ConfigMapObject>(configMaps('red'), 'applied', 'apply', intent('alice'), { fieldManager: 'alice' });
    assert.deepEqual(applied.data, { owner: 'alice' });
    assert.deepEqual(applied.metadata.managedFields?.map((f) => `${f.manager}/${f.operation}`), ['alice/Apply']);
    await assert.rejects(client.patch(configMaps('red'), 'applied', 'apply', intent('bob'), { fieldManager: 'bob' }), { reason: 'Conflict' });
    const forced = await client.patch<ConfigMapObject>(configMaps('red'), 'applied', 'apply', intent('bob'), { fieldManager: 'bob', force: true });
    assert.deepEqual(forced.data, { owner: 'bob' });
    assert.deepEqual(forced.metadata.managedFields?.map((f) => f.manager), ['bob']);
  });

  test('subresources: status is written through /status, scale is read through /scale', async () => {
    const { client } = conn;
    const pod = await client.create<PodObject>(pods('red'), {
      metadata: { name: 'runner' },
      spec: { containers: [{ name: 'c', image: 'busybox:1' }] },
    });
    const withStatus = await client.update<PodObject>(pods('red'), { ...pod, status: { phase: 'Running' }, spec: { ...pod.spec!, activeDeadlineSeconds: 5 } }, { subresource: 'status' });
    assert.equal(withStatus.status?.phase, 'Running');
    assert.equal(withStatus.spec?.activeDeadlineSeconds, undefined, 'a status write leaves spec alone');
    await client.create(deployments('blue'), deployment('scaled'));
    const scale = await client.get(deployments('blue'), 'scaled', { subresource: 'scale' });
    assert.equal(scale.kind, 'Scale');
    assert.equal((scale['spec'] as { replicas?: number }).replicas, 1);
  });

  test('delete honours preconditions and answers with a Status or the object', async () => {
    const { client } = conn;
    const created = await client.create<ConfigMapObject>(configMaps('blue'), { metadata: { name: 'doomed' } });
    await assert.rejects(client.delete(configMaps('blue'), 'doomed', { preconditions: { uid: 'not-its-uid' } }), { reason: 'Conflict' });
    const answer = await client.delete(configMaps('blue'), 'doomed', { preconditions: { uid: created.metadata.uid!, resourceVersion: created.metadata.resourceVersion! } });
    assert.ok(answer.kind === 'Status' ? answer.status === 'Success' : answer.metadata.name === 'doomed');
    await assert.rejects(client.get(configMaps('blue'), 'doomed'), { reason: 'NotFound' });

    const kept = await client.create<ConfigMapObject>(configMaps('blue'), { metadata: { name: 'dry-delete' } });
    await client.delete(configMaps('blue'), 'dry-delete', { dryRun: true, propagationPolicy: 'Background', gracePeriodSeconds: 0 });
    assert.equal((await client.get(configMaps('blue'), 'dry-delete')).metadata.uid, kept.metadata.uid);
  });

  test('deleteCollection deletes what the selectors match, answering with the deleted objects', async () => {
    const { client } = conn;
    for (const [name, batch] of [['old-1', 'old'], ['old-2', 'old'], ['new-1', 'new']] as const) {
      await client.create(configMaps('blue'), { metadata: { name, labels: { batch } } });
    }
    const answer = await client.deleteCollection(configMaps('blue'), { labelSelector: 'batch=old' });
    assert.ok('items' in answer, 'the answer is the list of deleted objects');
    assert.deepEqual(names(answer.items), ['old-1', 'old-2']);
    assert.deepEqual(names((await client.list(configMaps('blue'), { labelSelector: 'batch' })).items), ['new-1']);
  });
});
