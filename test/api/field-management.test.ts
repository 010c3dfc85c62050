/**
 * managedFields, server-side apply, strategic merge by the served schema and field
 * validation, through the HTTP API of a real ApiServer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';

const CM = '/api/v1/namespaces/default/configmaps';
const APPLY = 'application/apply-patch+yaml';

describe('field management over the API', () => {
  let api: InProcessApi;
  before(async () => {
    api = await startInProcessApi();
  });
  after(() => api.stop());

  test('a create records an Update entry for the fieldManager, or the user agent program', async () => {
    const res = await api.request('POST', `${CM}?fieldManager=tester`, { body: { metadata: { name: 'mf1' }, data: { a: '1' } } });
    assert.equal(res.status, 201);
    const [entry, ...rest] = res.body.metadata.managedFields;
    assert.equal(rest.length, 0);
    assert.equal(entry.manager, 'tester');
    assert.equal(entry.operation, 'Update');
    assert.deepEqual(entry.fieldsV1, { 'f:data': { '.': {}, 'f:a': {} } });
    const byAgent = await api.request('POST', CM, { body: { metadata: { name: 'mf2' } , data: { b: '2' } }, headers: { 'user-agent': 'kubectl-create/v1.32.0 (linux/amd64)' } });
    assert.equal(byAgent.body.metadata.managedFields[0].manager, 'kubectl-create');
  });

  test('server-side apply creates, is idempotent, reports conflicts and takes ownership when forced', async () => {
    const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  x: "1"\n';
    const created = await api.request('PATCH', `${CM}/ssa?fieldManager=alice`, { body: config, contentType: APPLY });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.data, { x: '1' });
    assert.equal(created.body.metadata.managedFields[0].operation, 'Apply');

    const again = await api.request('PATCH', `${CM}/ssa?fieldManager=alice`, { body: config, contentType: APPLY });
    assert.equal(again.status, 200);
    assert.equal(again.body.metadata.resourceVersion, created.body.metadata.resourceVersion);

    const rival = config.replace('"1"', '"2"');
    const conflict = await api.request('PATCH', `${CM}/ssa?fieldManager=bob`, { body: rival, contentType: APPLY });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.reason, 'Conflict');
    assert.match(conflict.body.message, /^Apply failed with 1 conflict: conflict with "alice": \.data\.x/);
    assert.equal((await api.request('GET', `${CM}/ssa`)).body.data.x, '1');

    const forced = await api.request('PATCH', `${CM}/ssa?fieldManager=bob&force=true`, { body: rival, contentType: APPLY });
    assert.equal(forced.status, 200);
    assert.equal(forced.body.data.x, '2');
    const managers = forced.body.metadata.managedFields.map((e: { manager: string }) => e.manager);
    assert.deepEqual(managers, ['bob']);
  });

  test('apply without fieldManager, force on a merge patch, and undeclared fields are rejected', async () => {
    const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nofm\n';
    const noManager = await api.request('PATCH', `${CM}/nofm`, { body: config, contentType: APPLY });
    assert.equal(noManager.status, 422);
    assert.match(noManager.body.message, /fieldManager: Required value: is required for apply patch/);
    await api.request('POST', CM, { body: { metadata: { name: 'forced' } } });
    const force = await api.request('PATCH', `${CM}/forced?force=true`, { body: { data: { a: 'b' } }, contentType: 'application/merge-patch+json' });
    assert.equal(force.status, 422);
    assert.match(force.body.message, /force: Forbidden: may not be specified for non-apply patch/);
    const undeclared = await api.request('PATCH', `${CM}/nofm?fieldManager=a`, { body: `${config}bogus: 1\n`, contentType: APPLY });
    assert.equal(undeclared.status, 400);
    assert.match(undeclared.body.message, /\.bogus: field not declared in schema/);
    assert.equal((await api.request('GET', `${CM}/nofm`)).status, 404);
  });

  test('strategic merge patch merges containers and env by name with the served schema', async () => {
    const template = { metadata: { labels: { app: 'smp' } }, spec: { containers: [{ name: 'a', image: 'busybox', env: [{ name: 'X', value: '1' }] }] } };
    const deployment = { metadata: { name: 'smp' }, spec: { selector: { matchLabels: { app: 'smp' } }, template } };
    assert.equal((await api.request('POST', '/apis/apps/v1/namespaces/default/deployments', { body: deployment })).status, 201);
    const patch = { spec: { template: { spec: { containers: [{ name: 'a', image: 'busybox:2', env: [{ name: 'Y', value: '2' }] }, { name: 'b', image: 'nginx' }] } } } };
    const res = await api.request('PATCH', '/apis/apps/v1/namespaces/default/deployments/smp', { body: patch, contentType: 'application/strategic-merge-patch+json' });
    assert.equal(res.status, 200);
    const containers = res.body.spec.template.spec.containers as { name: string; image: string; env?: { name: string }[] }[];
    assert.deepEqual(containers.map((c) => c.name).sort(), ['a', 'b']);
    const a = containers.find((c) => c.name === 'a');
    assert.equal(a?.image, 'busybox:2');
    assert.deepEqual(a?.env?.map((e) => e.name).sort(), ['X', 'Y']);
  });

  test('fieldValidation: Strict rejects unknown fields, Warn warns and drops them, Ignore drops them quietly', async () => {
    const body = { metadata: { name: 'fv' }, data: { a: '1' }, extra: true, spec: { deep: 1 } };
    const strict = await api.request('POST', `${CM}?fieldValidation=Strict`, { body });
    assert.equal(strict.status, 400);
    assert.equal(strict.body.reason, 'BadRequest');
    assert.equal(strict.body.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "extra", unknown field "spec"');
    assert.equal((await api.request('GET', `${CM}/fv`)).status, 404);

    const warn = await api.request('POST', `${CM}?fieldValidation=Warn`, { body });
    assert.equal(warn.status, 201);
    assert.equal(warn.headers.get('warning'), '299 - "unknown field \\"extra\\"", 299 - "unknown field \\"spec\\""');
    assert.equal(warn.body.extra, undefined);

    const ignore = await api.request('POST', `${CM}?fieldValidation=Ignore`, { body: { ...body, metadata: { name: 'fv2' } } });
    assert.equal(ignore.status, 201);
    assert.equal(ignore.headers.get('warning'), null);
    assert.equal(ignore.body.extra, undefined);

    const nested = await api.request('POST', '/api/v1/namespaces/default/pods?fieldValidation=Strict', {
      body: { metadata: { name: 'fvp' }, spec: { containers: [{ name: 'c', image: 'busybox', imagePolicy: 'x' }] } },
    });
    assert.equal(nested.status, 400);
    assert.match(nested.body.message, /unknown field "spec\.containers\[0\]\.imagePolicy"/);

    const bad = await api.request('POST', `${CM}?fieldValidation=Loose`, { body: { metadata: { name: 'fv3' } } });
    assert.equal(bad.status, 422);
    assert.match(bad.body.message, /fieldValidation: Unsupported value: "Loose": supported values: "Strict", "Warn", "Ignore"/);
  });
});
