import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { UserInfo } from '../authn/user.js';
import { unionAuthorizer, type AuthorizationAttributes, type Authorizer } from './authorizer.js';
import { createClusterAuthorizer } from './clusterPolicy.js';
import { forbiddenError } from './forbidden.js';

const user = (username: string, ...groups: string[]): UserInfo => ({ username, groups });
const admin = user('admin', 'system:masters', 'system:authenticated');
const jane = user('jane', 'dev', 'system:authenticated');
const anonymous = user('system:anonymous', 'system:unauthenticated');

const resource = (who: UserInfo, verb: string, fields: Partial<AuthorizationAttributes> = {}): AuthorizationAttributes => ({
  user: who,
  verb,
  resourceRequest: true,
  group: '',
  resource: 'pods',
  subresource: '',
  namespace: 'default',
  name: '',
  path: '/api/v1/namespaces/default/pods',
  ...fields,
});
const path = (who: UserInfo, verb: string, p: string): AuthorizationAttributes => ({
  user: who,
  verb,
  resourceRequest: false,
  group: '',
  resource: '',
  subresource: '',
  namespace: '',
  name: '',
  path: p,
});

describe('cluster authorizer', () => {
  const authorizer = createClusterAuthorizer();

  test('system:masters may do everything, with an empty reason', async () => {
    assert.deepEqual(await authorizer.authorize(resource(admin, 'delete', { resource: 'nodes', namespace: '' })), { decision: 'allow', reason: '' });
    assert.equal((await authorizer.authorize(path(admin, 'post', '/anything'))).decision, 'allow');
  });

  test('other authenticated users are allowed for now, with a reason saying why', async () => {
    const result = await authorizer.authorize(resource(jane, 'create'));
    assert.equal(result.decision, 'allow');
    assert.match(result.reason, /RBAC/);
  });

  test('anonymous may only get the public-info paths', async () => {
    for (const p of ['/healthz', '/livez', '/readyz', '/version', '/version/']) {
      assert.equal((await authorizer.authorize(path(anonymous, 'get', p))).decision, 'allow', p);
    }
    assert.equal((await authorizer.authorize(path(anonymous, 'get', '/healthz/etcd'))).decision, 'noOpinion');
    assert.equal((await authorizer.authorize(path(anonymous, 'post', '/healthz'))).decision, 'noOpinion');
    assert.equal((await authorizer.authorize(resource(anonymous, 'list'))).decision, 'noOpinion');
  });

  test('a user in system:masters is listed once with every rule', async () => {
    const rules = await authorizer.rulesFor(admin, 'default');
    assert.equal(rules.resourceRules.filter((r) => r.resources.includes('*')).length, 1);
  });
});

describe('unionAuthorizer', () => {
  const fixed = (decision: 'allow' | 'deny' | 'noOpinion', reason: string, evaluationError?: string): Authorizer => ({
    async authorize() {
      return evaluationError === undefined ? { decision, reason } : { decision, reason, evaluationError };
    },
    async rulesFor() {
      return { resourceRules: [], nonResourceRules: [], incomplete: decision === 'noOpinion' };
    },
  });

  test('the first decisive answer wins', async () => {
    const union = unionAuthorizer([fixed('noOpinion', 'a'), fixed('deny', 'b'), fixed('allow', 'c')]);
    assert.deepEqual(await union.authorize(resource(jane, 'get')), { decision: 'deny', reason: 'b' });
  });

  test('without a decision, reasons and errors are collected', async () => {
    const union = unionAuthorizer([fixed('noOpinion', 'a', 'e1'), fixed('noOpinion', ''), fixed('noOpinion', 'c', 'e2')]);
    assert.deepEqual(await union.authorize(resource(jane, 'get')), { decision: 'noOpinion', reason: 'a\nc', evaluationError: '[e1, e2]' });
    assert.equal((await union.rulesFor(jane, 'default')).incomplete, true);
  });
});

describe('forbiddenError', () => {
  test('resource requests name the resource, group and namespace', () => {
    const err = forbiddenError(resource(anonymous, 'list'), '');
    assert.equal(err.code, 403);
    assert.equal(err.message, 'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "default"');
  });

  test('named, cluster-scoped, subresources and reasons', () => {
    const attributes = resource(jane, 'update', { group: 'apps', resource: 'deployments', subresource: 'scale', name: 'web', namespace: '' });
    assert.equal(
      forbiddenError(attributes, 'no RBAC policy matched').message,
      'deployments.apps "web" is forbidden: User "jane" cannot update resource "deployments/scale" in API group "apps" at the cluster scope: no RBAC policy matched',
    );
  });

  test('non-resource requests name the path', () => {
    const err = forbiddenError(path(anonymous, 'get', '/metrics'), '');
    assert.equal(err.message, 'forbidden: User "system:anonymous" cannot get path "/metrics"');
    assert.equal(err.reason, 'Forbidden');
  });
});
