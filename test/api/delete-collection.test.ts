/**
 * DELETE of a collection: only what the selectors match goes, the answer is the list
 * of deleted objects, and dryRun deletes nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';

const CM = '/api/v1/namespaces/default/configmaps';

describe('deletecollection', () => {
  let api: InProcessApi;
  before(async () => {
    api = await startInProcessApi();
    for (const [name, tier] of [['a', 'web'], ['b', 'web'], ['c', 'db']] as const) {
      await api.request('POST', CM, { body: { metadata: { name, labels: { tier } } } });
    }
  });
  after(() => api.stop());

  test('dryRun=All reports what would go and deletes nothing', async () => {
    const res = await api.request('DELETE', `${CM}?labelSelector=tier%3Dweb&dryRun=All`);
    assert.equal(res.status, 200);
    assert.equal(res.body.items.length, 2);
    assert.equal((await api.request('GET', CM)).body.items.length, 3);
  });

  test('deletes the matching objects and answers with their list', async () => {
    const res = await api.request('DELETE', `${CM}?labelSelector=tier%3Dweb`);
    assert.equal(res.status, 200);
    assert.equal(res.body.kind, 'ConfigMapList');
    assert.deepEqual(res.body.items.map((o: { metadata: { name: string } }) => o.metadata.name).sort(), ['a', 'b']);
    const left = (await api.request('GET', CM)).body.items.map((o: { metadata: { name: string } }) => o.metadata.name);
    assert.deepEqual(left, ['c']);
  });
});
