import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../api/status.js';
import type { UserInfo } from '../authn/user.js';
import {
  reviewLocalSubjectAccess,
  reviewSelfSubjectAccess,
  reviewSelfSubjectRules,
  reviewSubjectAccess,
} from './accessReviews.js';
import type { AuthorizationAttributes, Authorizer, ResourceRule } from './authorizer.js';
import { createClusterAuthorizer } from './clusterPolicy.js';

const admin: UserInfo = { username: 'admin', groups: ['system:masters', 'system:authenticated'] };
const anonymous: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
const authorizer = createClusterAuthorizer();

/** An authorizer that records what it was asked and answers with a fixed decision. */
function recording(decision: 'allow' | 'deny' | 'noOpinion', reason = ''): Authorizer & { seen: AuthorizationAttributes[] } {
  const seen: AuthorizationAttributes[] = [];
  return {
    seen,
    async authorize(attributes) {
      seen.push(attributes);
      return { decision, reason };
    },
    async rulesFor() {
      return { resourceRules: [], nonResourceRules: [], incomplete: true, evaluationError: 'webhook unreachable' };
    },
  };
}

/** Runs `fn`, expecting a StatusError, and returns it. */
async function statusError(fn: () => Promise<unknown>): Promise<StatusError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof StatusError, String(err));
    return err;
  }
  assert.fail('expected a StatusError');
}

describe('SelfSubjectAccessReview', () => {
  const canI = (resourceAttributes: Record<string, string>) => ({
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: { creationTimestamp: null },
    spec: { resourceAttributes },
  });

  test('admin may create pods (kubectl auth can-i create pods)', async () => {
    const review = await reviewSelfSubjectAccess(canI({ namespace: 'default', verb: 'create', resource: 'pods' }), admin, authorizer);
    assert.equal(review.kind, 'SelfSubjectAccessReview');
    assert.equal(review.apiVersion, 'authorization.k8s.io/v1');
    assert.deepEqual(review.spec, { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } });
    assert.deepEqual(review.status, { allowed: true });
  });

  test('anonymous may not list pods but may get /healthz', async () => {
    const pods = await reviewSelfSubjectAccess(canI({ verb: 'list', resource: 'pods' }), anonymous, authorizer);
    assert.equal(pods.status?.allowed, false);
    const health = { spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } } };
    assert.equal((await reviewSelfSubjectAccess(health, anonymous, authorizer)).status?.allowed, true);
  });

  test('the authorizer sees the requesting user and the attributes', async () => {
    const fake = recording('deny', 'no way');
    const review = await reviewSelfSubjectAccess(
      canI({ namespace: 'ns', verb: 'get', group: 'apps', version: 'v1', resource: 'deployments', subresource: 'scale', name: 'web' }),
      admin,
      fake,
    );
    assert.deepEqual(review.status, { allowed: false, denied: true, reason: 'no way' });
    assert.deepEqual(fake.seen[0], {
      user: admin,
      verb: 'get',
      resourceRequest: true,
      group: 'apps',
      version: 'v1',
      resource: 'deployments',
      subresource: 'scale',
      namespace: 'ns',
      name: 'web',
      path: '',
    });
  });

  test('neither attributes is 422 on spec.resourceAttributes', async () => {
    const err = await statusError(() => reviewSelfSubjectAccess({ spec: {} }, admin, authorizer));
    assert.equal(err.code, 422);
    assert.equal(err.reason, 'Invalid');
    assert.match(err.message, /spec\.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified$/);
    assert.equal(err.details?.group, 'authorization.k8s.io');
    assert.deepEqual(err.details?.causes?.map((c) => c.field), ['spec.resourceAttributes']);
  });

  test('both attributes is 422 on spec.nonResourceAttributes', async () => {
    const body = { spec: { resourceAttributes: { verb: 'get' }, nonResourceAttributes: { path: '/x', verb: 'get' } } };
    const err = await statusError(() => reviewSelfSubjectAccess(body, admin, authorizer));
    assert.deepEqual(err.details?.causes?.map((c) => c.field), ['spec.nonResourceAttributes']);
    assert.match(err.message, /cannot be specified in combination with resourceAttributes/);
  });

  test('metadata must be empty', async () => {
    const body = { metadata: { name: 'x' }, spec: { resourceAttributes: { verb: 'get' } } };
    const err = await statusError(() => reviewSelfSubjectAccess(body, admin, authorizer));
    assert.deepEqual(err.details?.causes?.map((c) => [c.field, c.message.endsWith('must be empty')]), [['metadata', true]]);
  });

  test('selector attributes are validated', async () => {
    const body = canI({ verb: 'list', resource: 'pods' }) as Record<string, unknown>;
    (body.spec as Record<string, unknown>).resourceAttributes = {
      verb: 'list',
      resource: 'pods',
      fieldSelector: { rawSelector: 'a=b', requirements: [{ key: 'a', operator: 'In', values: ['b'] }] },
      labelSelector: {},
    };
    const err = await statusError(() => reviewSelfSubjectAccess(body, admin, authorizer));
    assert.deepEqual(err.details?.causes?.map((c) => c.field), [
      'spec.resourceAttributes.fieldSelector.rawSelector',
      'spec.resourceAttributes.labelSelector.requirements',
    ]);
    assert.match(err.message, /when spec\.resourceAttributes\.labelSelector is specified, requirements or rawSelector is required/);
  });
});

describe('SubjectAccessReview', () => {
  test('answers for the user and groups in the spec', async () => {
    const fake = recording('allow');
    const body = { spec: { user: 'jane', groups: ['dev'], uid: 'u1', extra: { scopes: ['a'] }, nonResourceAttributes: { path: '/metrics', verb: 'get' } } };
    const review = await reviewSubjectAccess(body, fake);
    assert.deepEqual(review.status, { allowed: true });
    assert.deepEqual(fake.seen[0]?.user, { username: 'jane', groups: ['dev'], uid: 'u1', extra: { scopes: ['a'] } });
    assert.equal(fake.seen[0]?.resourceRequest, false);
    assert.equal(fake.seen[0]?.path, '/metrics');
  });

  test('a review without user nor group is invalid', async () => {
    const err = await statusError(() => reviewSubjectAccess({ spec: { resourceAttributes: { verb: 'get' } } }, authorizer));
    assert.match(err.message, /spec\.user: Invalid value: "": at least one of user or group must be specified/);
  });

  test('an empty spec reports both problems in upstream order', async () => {
    const err = await statusError(() => reviewSubjectAccess({ spec: {} }, authorizer));
    assert.deepEqual(err.details?.causes?.map((c) => c.field), ['spec.resourceAttributes', 'spec.user']);
  });

  test('an unauthenticated subject is not allowed by the cluster policy', async () => {
    const body = { spec: { user: 'nobody', groups: ['system:unauthenticated'], resourceAttributes: { verb: 'delete', resource: 'nodes' } } };
    assert.equal((await reviewSubjectAccess(body, authorizer)).status?.allowed, false);
  });
});

describe('LocalSubjectAccessReview', () => {
  const local = (namespace: string, extra: Record<string, unknown> = {}) => ({
    metadata: extra.metadata ?? {},
    spec: { user: 'jane', resourceAttributes: { namespace, verb: 'get', resource: 'pods' }, ...((extra.spec as object) ?? {}) },
  });

  test('the namespace defaults from the request', async () => {
    const review = await reviewLocalSubjectAccess(local('team-a'), 'team-a', recording('allow'));
    assert.equal(review.metadata?.namespace, 'team-a');
    assert.equal(review.status?.allowed, true);
  });

  test('spec.resourceAttributes.namespace must match', async () => {
    const err = await statusError(() => reviewLocalSubjectAccess(local('other'), 'team-a', authorizer));
    assert.match(err.message, /spec\.resourceAttributes\.namespace: Invalid value: "other": must match metadata\.namespace/);
  });

  test('a different metadata.namespace is a bad request', async () => {
    const err = await statusError(() => reviewLocalSubjectAccess(local('b', { metadata: { namespace: 'b' } }), 'a', authorizer));
    assert.equal(err.code, 400);
  });

  test('non-resource attributes are disallowed', async () => {
    const body = { spec: { user: 'jane', nonResourceAttributes: { path: '/x', verb: 'get' } } };
    const err = await statusError(() => reviewLocalSubjectAccess(body, 'a', authorizer));
    assert.match(err.message, /spec\.nonResourceAttributes: Invalid value: .*disallowed on this kind of request/);
  });
});

describe('SelfSubjectRulesReview', () => {
  test('admin may do everything, and the list is complete', async () => {
    const review = await reviewSelfSubjectRules({ spec: { namespace: 'default' } }, admin, authorizer);
    assert.equal(review.kind, 'SelfSubjectRulesReview');
    assert.equal(review.status?.incomplete, false);
    // kubernetes-types' ResourceRule lacks verbs and resources; read it as ours.
    const rules = (review.status?.resourceRules ?? []) as ResourceRule[];
    assert.ok(rules.some((r) => r.verbs.includes('*') && r.apiGroups.includes('*') && r.resources.includes('*')));
    assert.ok(review.status?.nonResourceRules.some((r) => r.verbs.includes('*') && r.nonResourceURLs?.includes('*')));
  });

  test('anonymous only sees the public-info rules', async () => {
    const review = await reviewSelfSubjectRules({ spec: { namespace: 'default' } }, anonymous, authorizer);
    assert.deepEqual(review.status?.resourceRules, []);
    assert.ok(review.status?.nonResourceRules.every((r) => r.verbs.join() === 'get'));
  });

  test('incompleteness and evaluation errors are passed on', async () => {
    const review = await reviewSelfSubjectRules({ spec: { namespace: 'default' } }, admin, recording('noOpinion'));
    assert.equal(review.status?.incomplete, true);
    assert.equal(review.status?.evaluationError, 'webhook unreachable');
  });

  test('a namespace is required', async () => {
    const err = await statusError(() => reviewSelfSubjectRules({ spec: {} }, admin, authorizer));
    assert.equal(err.code, 400);
    assert.equal(err.message, 'no namespace on request');
  });
});
