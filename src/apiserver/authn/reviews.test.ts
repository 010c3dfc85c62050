import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../api/status.js';
import { createRequestAuthenticator } from './requestAuthenticator.js';
import { reviewSelfSubject, reviewToken } from './reviews.js';
import type { CredentialCheck } from './user.js';

describe('SelfSubjectReview', () => {
  test('reports the requesting user (kubectl auth whoami)', () => {
    const now = new Date('2025-01-02T03:04:05.678Z');
    const review = reviewSelfSubject(
      { username: 'admin', groups: ['system:masters', 'system:authenticated'], extra: { 'authentication.kubernetes.io/credential-id': ['X509SHA256=ab'] } },
      now,
    );
    assert.deepEqual(review, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
      metadata: { creationTimestamp: '2025-01-02T03:04:05Z' },
      status: {
        userInfo: {
          username: 'admin',
          groups: ['system:masters', 'system:authenticated'],
          extra: { 'authentication.kubernetes.io/credential-id': ['X509SHA256=ab'] },
        },
      },
    });
  });

  test('leaves out an empty uid and extra', () => {
    const info = reviewSelfSubject({ username: 'system:anonymous', groups: ['system:unauthenticated'] }).status?.userInfo;
    assert.deepEqual(info, { username: 'system:anonymous', groups: ['system:unauthenticated'] });
  });
});

describe('TokenReview', () => {
  const tokens = {
    async authenticateToken(token: string, audiences: readonly string[]): Promise<CredentialCheck> {
      if (token === 'good') return { outcome: 'authenticated', user: { username: 'bot', uid: 'u9', groups: [] }, audiences: [...audiences] };
      if (token === 'deaf') return { outcome: 'authenticated', user: { username: 'bot', groups: [] }, audiences: ['elsewhere'] };
      return { outcome: 'absent' };
    },
  };
  const authenticator = createRequestAuthenticator({ tokenAuthenticators: [tokens], apiAudiences: ['https://kubernetes.default.svc.cluster.local'] });
  const review = (spec: Record<string, unknown>) => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {}, spec });

  test('a valid token yields its user, with system:authenticated, and the API audiences', async () => {
    const result = await reviewToken(review({ token: 'good' }), authenticator);
    assert.deepEqual(result.spec, { token: 'good' });
    assert.deepEqual(result.status, {
      authenticated: true,
      user: { username: 'bot', uid: 'u9', groups: ['system:authenticated'] },
      audiences: ['https://kubernetes.default.svc.cluster.local'],
    });
  });

  test('requested audiences are used when given', async () => {
    const result = await reviewToken(review({ token: 'good', audiences: ['vault'] }), authenticator);
    assert.deepEqual(result.status?.audiences, ['vault']);
  });

  test('an unknown token is not authenticated and says why', async () => {
    const result = await reviewToken(review({ token: 'bad' }), authenticator);
    assert.deepEqual(result.status, { user: {}, error: 'invalid bearer token' });
  });

  test('a token without any requested audience is an internal error', async () => {
    await assert.rejects(reviewToken(review({ token: 'deaf' }), authenticator), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.equal(err.code, 500);
      assert.equal(err.message, 'Internal error occurred: error validating audiences');
      return true;
    });
  });

  test('a review without a token is a bad request', async () => {
    await assert.rejects(reviewToken(review({}), authenticator), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.equal(err.code, 400);
      assert.equal(err.message, 'token is required for TokenReview in authentication');
      return true;
    });
  });
});
