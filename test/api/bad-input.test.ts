/**
 * Bad input over the API: each kind of mistake gets upstream's status code and
 * reason, and the store is left exactly as it was.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';

const CM = '/api/v1/namespaces/default/configmaps';

describe('bad input', () => {
  let api: InProcessApi;
  let stored: unknown;
  before(async () => {
    api = await startInProcessApi();
    await api.request('POST', CM, { body: { metadata: { name: 'kept', labels: { a: 'b' } }, data: { k: 'v' } } });
    stored = (await api.request('GET', CM)).body.items;
  });
  after(() => api.stop());

  const cases: { title: string; method: string; path: string; body: unknown; contentType?: string; code: number; reason: string; message?: RegExp }[] = [
    { title: 'malformed JSON', method: 'POST', path: CM, body: '{"metadata": {"name": "x"', code: 400, reason: 'BadRequest' },
    { title: 'malformed YAML', method: 'POST', path: CM, body: 'metadata: [unclosed', contentType: 'application/yaml', code: 400, reason: 'BadRequest' },
    { title: 'a body that is not an object', method: 'POST', path: CM, body: '[1,2]', code: 400, reason: 'BadRequest' },
    { title: 'an invalid name', method: 'POST', path: CM, body: { metadata: { name: 'Not_Valid' } }, code: 422, reason: 'Invalid', message: /metadata\.name: Invalid value: "Not_Valid"/ },
    { title: 'an invalid label', method: 'POST', path: CM, body: { metadata: { name: 'x', labels: { 'bad key!': 'v' } } }, code: 422, reason: 'Invalid', message: /metadata\.labels: Invalid value: "bad key!"/ },
    { title: 'a missing name', method: 'POST', path: CM, body: { metadata: {} }, code: 422, reason: 'Invalid', message: /metadata\.name: Required value/ },
    { title: 'a missing required field', method: 'POST', path: '/api/v1/namespaces/default/pods', body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } }, code: 422, reason: 'Invalid', message: /spec\.containers\[0\]\.image: Required value/ },
    { title: 'a wrong apiVersion', method: 'POST', path: CM, body: { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } }, code: 400, reason: 'BadRequest', message: /does not match the expected API version/ },
    { title: 'a wrong kind', method: 'POST', path: CM, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }, code: 400, reason: 'BadRequest' },
    { title: 'a namespace that differs from the URL', method: 'POST', path: CM, body: { metadata: { name: 'x', namespace: 'kube-system' } }, code: 400, reason: 'BadRequest' },
    { title: 'a stale resourceVersion', method: 'PUT', path: `${CM}/kept`, body: { metadata: { name: 'kept', resourceVersion: '1' }, data: { k: 'changed' } }, code: 409, reason: 'Conflict', message: /the object has been modified/ },
    { title: 'a body over 3 MiB', method: 'POST', path: CM, body: { metadata: { name: 'big' }, data: { blob: 'x'.repeat(3 * 1024 * 1024 + 1) } }, code: 413, reason: 'RequestEntityTooLarge' },
    { title: 'an unknown resource', method: 'POST', path: '/api/v1/namespaces/default/widgets', body: { metadata: { name: 'x' } }, code: 404, reason: 'NotFound' },
    { title: 'an unknown group', method: 'GET', path: '/apis/example.com/v1/widgets', body: undefined, code: 404, reason: 'NotFound' },
    { title: 'an unsupported content type', method: 'POST', path: CM, body: 'name=x', contentType: 'text/plain', code: 415, reason: 'UnsupportedMediaType' },
    { title: 'a bad patch type', method: 'PATCH', path: `${CM}/kept`, body: '{}', contentType: 'application/json', code: 415, reason: 'UnsupportedMediaType' },
    { title: 'a JSON patch that fails its test', method: 'PATCH', path: `${CM}/kept`, body: [{ op: 'test', path: '/data/k', value: 'nope' }], contentType: 'application/json-patch+json', code: 422, reason: 'Invalid' },
    { title: 'a method the resource lacks', method: 'POST', path: `${CM}/kept`, body: { metadata: { name: 'kept' } }, code: 405, reason: 'MethodNotAllowed' },
  ];

  for (const c of cases) {
    test(`${c.title}: ${c.code} ${c.reason}, nothing changes`, async () => {
      const options = { ...(c.body !== undefined ? { body: c.body } : {}), ...(c.contentType !== undefined ? { contentType: c.contentType } : {}) };
      const res = await api.request(c.method, c.path, options);
      assert.equal(res.status, c.code, res.text.slice(0, 300));
      assert.equal(res.body.kind, 'Status');
      assert.equal(res.body.status, 'Failure');
      assert.equal(res.body.code, c.code);
      assert.equal(res.body.reason, c.reason);
      if (c.message !== undefined) assert.match(res.body.message, c.message);
      assert.deepEqual((await api.request('GET', CM)).body.items, stored);
    });
  }
});
