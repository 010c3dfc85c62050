/**
 * The review APIs through HTTP: access reviews answered by the authorizer in force,
 * SelfSubjectReview and TokenReview by the authenticator; never stored.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';

const AUTHZ = '/apis/authorization.k8s.io/v1';
const AUTHN = '/apis/authentication.k8s.io/v1';

describe('review APIs', () => {
  let api: InProcessApi;
  before(async () => {
    api = await startInProcessApi();
  });
  after(() => api.stop());

  test('SelfSubjectAccessReview: admin may do anything', async () => {
    const res = await api.request('POST', `${AUTHZ}/selfsubjectaccessreviews`, {
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'delete', resource: 'nodes' } } },
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.kind, 'SelfSubjectAccessReview');
    assert.equal(res.body.status.allowed, true);
    assert.deepEqual(res.body.spec.resourceAttributes, { verb: 'delete', resource: 'nodes' });
  });

  test('SelfSubjectAccessReview without attributes is Invalid', async () => {
    const res = await api.request('POST', `${AUTHZ}/selfsubjectaccessreviews`, { body: { spec: {} } });
    assert.equal(res.status, 422);
    assert.equal(res.body.reason, 'Invalid');
    assert.match(res.body.message, /resourceAttributes/);
  });

  test('SelfSubjectRulesReview lists the rules of the user in a namespace', async () => {
    const res = await api.request('POST', `${AUTHZ}/selfsubjectrulesreviews`, { body: { spec: { namespace: 'default' } } });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.status.resourceRules[0], { verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    const noNamespace = await api.request('POST', `${AUTHZ}/selfsubjectrulesreviews`, { body: { spec: {} } });
    assert.equal(noNamespace.status, 400);
  });

  test('SubjectAccessReview and LocalSubjectAccessReview answer for the named subject', async () => {
    const sar = await api.request('POST', `${AUTHZ}/subjectaccessreviews`, {
      body: { spec: { user: 'jane', groups: ['system:authenticated'], resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'default' } } },
    });
    assert.equal(sar.status, 201);
    assert.equal(sar.body.status.allowed, true);
    const local = await api.request('POST', `${AUTHZ}/namespaces/default/localsubjectaccessreviews`, {
      body: { spec: { user: 'jane', resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'kube-system' } } },
    });
    assert.equal(local.status, 422);
    assert.match(local.body.message, /spec\.resourceAttributes\.namespace/);
  });

  test('SelfSubjectReview names the requesting user', async () => {
    const res = await api.request('POST', `${AUTHN}/selfsubjectreviews`, { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
    assert.equal(res.status, 201);
    assert.equal(res.body.status.userInfo.username, 'admin');
    assert.ok(res.body.status.userInfo.groups.includes('system:masters'));
  });

  test('TokenReview of an unknown token is not authenticated; without a token it is a 400', async () => {
    const res = await api.request('POST', `${AUTHN}/tokenreviews`, { body: { spec: { token: 'not-a-token' } } });
    assert.equal(res.status, 201);
    assert.notEqual(res.body.status.authenticated, true);
    const empty = await api.request('POST', `${AUTHN}/tokenreviews`, { body: { spec: {} } });
    assert.equal(empty.status, 400);
  });

  test('reviews support only create and are never listed', async () => {
    const res = await api.request('GET', `${AUTHZ}/selfsubjectaccessreviews`);
    assert.equal(res.status, 405);
    assert.equal(res.body.reason, 'MethodNotAllowed');
  });
});
