/**
 * Namespace deletion as the API server does it: a namespace with finalizers turns
 * Terminating and refuses new content until `finalize` clears its finalizers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';

describe('namespace lifecycle', () => {
  let api: InProcessApi;
  before(async () => {
    api = await startInProcessApi();
  });
  after(() => api.stop());

  test('delete turns a namespace Terminating; new content is refused; finalize removes it', async () => {
    const created = await api.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'doomed' } } });
    assert.deepEqual(created.body.spec.finalizers, ['kubernetes']);
    assert.equal(created.body.status.phase, 'Active');
    await api.request('POST', '/api/v1/namespaces/doomed/configmaps', { body: { metadata: { name: 'inside' } } });

    const deleted = await api.request('DELETE', '/api/v1/namespaces/doomed');
    assert.equal(deleted.status, 200);
    assert.equal(deleted.body.kind, 'Namespace');
    assert.equal(deleted.body.status.phase, 'Terminating');
    assert.ok(deleted.body.metadata.deletionTimestamp);

    const refused = await api.request('POST', '/api/v1/namespaces/doomed/configmaps', { body: { metadata: { name: 'late' } } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.reason, 'Forbidden');
    assert.equal(refused.body.message, 'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated');
    assert.equal(refused.body.details.causes[0].reason, 'NamespaceTerminating');

    const stillThere = await api.request('GET', '/api/v1/namespaces/doomed');
    assert.equal(stillThere.body.status.phase, 'Terminating');

    const badFinalizer = await api.request('PUT', '/api/v1/namespaces/doomed/finalize', { body: { ...stillThere.body, spec: { finalizers: ['not a name'] } } });
    assert.equal(badFinalizer.status, 422);

    const finalized = await api.request('PUT', '/api/v1/namespaces/doomed/finalize', { body: { ...stillThere.body, spec: { finalizers: [] } } });
    assert.equal(finalized.status, 200);
    assert.equal((await api.request('GET', '/api/v1/namespaces/doomed')).status, 404);
  });

  test('finalize keeps an active namespace and changes nothing but its finalizers', async () => {
    const ns = (await api.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'kept' } } })).body;
    const res = await api.request('PUT', '/api/v1/namespaces/kept/finalize', { body: { ...ns, metadata: { ...ns.metadata, labels: { x: 'y' } }, spec: { finalizers: ['example.com/hold'] } } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.spec.finalizers, ['example.com/hold']);
    assert.equal(res.body.metadata.labels.x, undefined);
    assert.equal(res.body.status.phase, 'Active');
    assert.equal((await api.request('GET', '/api/v1/namespaces/kept/finalize')).status, 405);
  });
});
