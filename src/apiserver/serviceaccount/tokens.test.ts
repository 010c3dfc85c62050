import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { ADMIN, startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';
import { bearerToken } from '../authn/bearerToken.js';
import { createRequestAuthenticator, type RequestAuthenticator } from '../authn/requestAuthenticator.js';
import { BOUND_TOKEN_ISSUER, legacyClaims } from '../../api/serviceaccount/claims.js';
import { serviceAccountTokenAuthenticator } from './tokenAuthenticator.js';
import { tokenKeys } from '../../api/serviceaccount/tokenSigner.js';

const rsaKey = (): string => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const keyPem = rsaKey();
const keys = tokenKeys(keyPem);
const NS = '/api/v1/namespaces/default';

const claimsOf = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

describe('TokenRequest and service-account token authentication', () => {
  let api: InProcessApi;
  let authenticator: RequestAuthenticator;
  /** Requests with a bearer token authenticate by it; others are the admin. */
  const build = (server: () => InProcessApi['api']): RequestAuthenticator => {
    authenticator = createRequestAuthenticator({
      apiAudiences: [BOUND_TOKEN_ISSUER],
      tokenAuthenticators: [serviceAccountTokenAuthenticator({ keys, objects: { get: (resource, ns, name) => server().getObject(resource, ns, name) } })],
    });
    return {
      apiAudiences: authenticator.apiAudiences,
      authenticate: async (request) => (bearerToken(request.headers) === undefined ? ADMIN : authenticator.authenticate(request)),
      reviewToken: (token, audiences) => authenticator.reviewToken(token, audiences),
    };
  };
  const post = (path: string, body: unknown) => api.request('POST', `${NS}${path}`, { body });
  const tokenFor = async (name: string, spec: Record<string, unknown> = {}) => post(`/serviceaccounts/${name}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });
  const as = (token: string, method: string, path: string, body?: unknown) =>
    api.request(method, path, { headers: { authorization: `Bearer ${token}` }, ...(body !== undefined ? { body } : {}) });

  before(async () => {
    api = await startInProcessApi(undefined, { serviceAccountKeyPem: keyPem, authenticator: build });
    assert.equal((await post('/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } })).status, 201);
  });
  after(() => api.stop());

  test('is served in discovery as serviceaccounts/token of kind TokenRequest', async () => {
    const list = await api.request('GET', '/api/v1');
    const token = list.body.resources.find((r: { name: string }) => r.name === 'serviceaccounts/token');
    assert.deepEqual({ kind: token.kind, group: token.group, version: token.version, verbs: token.verbs }, { kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] });
  });

  test('issues an RS256 token with upstream\'s claims, one hour by default, for the API audiences', async () => {
    const res = await tokenFor('robot');
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.kind, 'TokenRequest');
    assert.deepEqual(res.body.spec, { audiences: [BOUND_TOKEN_ISSUER], expirationSeconds: 3600 });
    const token: string = res.body.status.token;
    assert.equal(JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).alg, 'RS256');
    const claims = claimsOf(token);
    const uid = (await api.request('GET', `${NS}/serviceaccounts/robot`)).body.metadata.uid;
    assert.equal(claims.iss, 'https://kubernetes.default.svc.cluster.local');
    assert.equal(claims.sub, 'system:serviceaccount:default:robot');
    assert.deepEqual(claims.aud, [BOUND_TOKEN_ISSUER]);
    assert.equal((claims.exp as number) - (claims.iat as number), 3600);
    assert.equal(claims.nbf, claims.iat);
    assert.deepEqual(claims['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'robot', uid } });
    assert.equal(Date.parse(res.body.status.expirationTimestamp), (claims.exp as number) * 1000);
  });

  test('refuses lifetimes under ten minutes, missing accounts and bad bound objects with upstream\'s errors', async () => {
    const short = await tokenFor('robot', { expirationSeconds: 599 });
    assert.equal(short.status, 422);
    assert.equal(short.body.message, 'TokenRequest.authentication.k8s.io "robot" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes');
    const missing = await tokenFor('nobody');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.message, 'serviceaccounts "nobody" not found');
    const noPod = await tokenFor('robot', { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'ghost' } });
    assert.equal(noPod.status, 404);
    assert.equal(noPod.body.message, 'pods "ghost" not found');
    const secret = await post('/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
    const wrongUid = await tokenFor('robot', { boundObjectRef: { apiVersion: 'v1', kind: 'Secret', name: 's', uid: 'not-it' } });
    assert.equal(wrongUid.status, 409);
    assert.equal(wrongUid.body.message, `Operation cannot be fulfilled on Secret "s": the UID in the bound object reference (not-it) does not match the UID in record. The object might have been deleted and then recreated`);
    const bound = await tokenFor('robot', { boundObjectRef: { apiVersion: 'v1', kind: 'Secret', name: 's', uid: secret.body.metadata.uid } });
    assert.equal(bound.status, 201, bound.text);
    const other = await tokenFor('robot', { boundObjectRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' } });
    assert.equal(other.status, 400);
  });

  test('a token authenticates as its account; RBAC decides what it may do', async () => {
    const token: string = (await tokenFor('robot')).body.status.token;
    const review = await as(token, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    assert.equal(review.status, 201, review.text);
    const user = review.body.status.userInfo;
    assert.equal(user.username, 'system:serviceaccount:default:robot');
    assert.deepEqual(user.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    assert.match(user.extra['authentication.kubernetes.io/credential-id'][0], /^JTI=/);

    const denied = await as(token, 'GET', `${NS}/pods`);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.message, 'pods is forbidden: User "system:serviceaccount:default:robot" cannot list resource "pods" in API group "" in the namespace "default"');
    await api.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', { body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }] } });
    await api.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
      body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'robot-reads' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'robot', namespace: 'default' }] },
    });
    assert.equal((await as(token, 'GET', `${NS}/pods`)).status, 200);
    assert.equal((await as(token, 'GET', '/api/v1/namespaces/kube-system/pods')).status, 403);
  });

  test('a pod-bound token names pod and node, and dies with the pod', async () => {
    await api.request('POST', '/api/v1/nodes', { body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } } });
    const pod = await post('/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'worker' }, spec: { serviceAccountName: 'robot', nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } });
    const wrongAccount = await post('/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'other' } });
    assert.equal(wrongAccount.status, 201);
    const refused = await tokenFor('other', { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'worker' } });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.message, 'cannot bind token for serviceaccount "other" to pod running with different serviceaccount name.');

    const res = await tokenFor('robot', { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'worker', uid: pod.body.metadata.uid }, expirationSeconds: 3607 });
    assert.equal(res.status, 201, res.text);
    const token: string = res.body.status.token;
    const claim = claimsOf(token)['kubernetes.io'] as Record<string, { name: string; uid: string }>;
    assert.deepEqual(claim.pod, { name: 'worker', uid: pod.body.metadata.uid });
    assert.equal(claim.node?.name, 'n1');
    const check = await authenticator.reviewToken(token, [BOUND_TOKEN_ISSUER]);
    assert.ok(check.outcome === 'authenticated');
    assert.deepEqual(check.user.extra?.['authentication.kubernetes.io/pod-name'], ['worker']);
    assert.deepEqual(check.user.extra?.['authentication.kubernetes.io/pod-uid'], [pod.body.metadata.uid]);
    assert.deepEqual(check.user.extra?.['authentication.kubernetes.io/node-name'], ['n1']);

    await api.request('DELETE', `${NS}/pods/worker?gracePeriodSeconds=0`);
    await api.request('DELETE', `${NS}/pods/worker?gracePeriodSeconds=0`);
    assert.deepEqual(await authenticator.reviewToken(token, [BOUND_TOKEN_ISSUER]), { outcome: 'rejected', error: 'pods "worker" not found' });
  });

  test('tokens for other audiences, from other keys, or of deleted accounts are refused', async () => {
    const token: string = (await tokenFor('robot', { audiences: ['vault'] })).body.status.token;
    assert.equal((await as(token, 'GET', `${NS}/pods`)).status, 401);
    assert.equal((await authenticator.reviewToken(token, ['vault'])).outcome, 'authenticated');
    const foreign = await tokenKeys(rsaKey()).sign(claimsOf((await tokenFor('robot')).body.status.token));
    assert.equal((await as(foreign, 'GET', `${NS}/pods`)).status, 401);
    const fresh: string = (await tokenFor('robot')).body.status.token;
    await api.request('DELETE', `${NS}/serviceaccounts/robot`);
    assert.deepEqual(await authenticator.reviewToken(fresh, [BOUND_TOKEN_ISSUER]), { outcome: 'rejected', error: 'serviceaccounts "robot" not found' });
    assert.equal((await as(fresh, 'GET', `${NS}/pods`)).status, 401);
  });

  test('a legacy Secret token is accepted while its Secret holds it', async () => {
    const account = await post('/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'old-timer' } });
    const token = await keys.sign({ ...legacyClaims('default', 'old-timer-token', { name: 'old-timer', uid: account.body.metadata.uid }) });
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: { name: 'old-timer-token', annotations: { 'kubernetes.io/service-account.name': 'old-timer' } },
      data: { token: Buffer.from(token).toString('base64') },
    };
    assert.equal((await post('/secrets', secret)).status, 201);
    const check = await authenticator.reviewToken(token, []);
    assert.ok(check.outcome === 'authenticated');
    assert.equal(check.user.username, 'system:serviceaccount:default:old-timer');
    assert.deepEqual(check.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    await api.request('DELETE', `${NS}/secrets/old-timer-token`);
    assert.deepEqual(await authenticator.reviewToken(token, []), { outcome: 'rejected', error: 'secrets "old-timer-token" not found' });
  });
});
