import { after, before, describe, test } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import assert from 'node:assert/strict';
import { connect, type ConnectedClient } from '../../../test/support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';
import { pollUntil } from '../../../test/support/poll.js';
import { ControllerManager } from '../manager.js';
import { rootCaPublisherDescriptor } from '../rootca/rootCaPublisher.js';
import { serviceAccountControllerDescriptor } from './serviceAccountController.js';
import { tokensControllerDescriptor } from './tokensController.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('serviceaccount, serviceaccount-token and root-ca-cert-publisher controllers', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  let manager: ControllerManager;
  const status = async (path: string): Promise<number> => (await api.request('GET', path)).status;
  const uidOf = async (path: string): Promise<string | undefined> => {
    const res = await api.request('GET', path);
    return res.status === 200 ? (res.body.metadata.uid as string) : undefined;
  };

  before(async () => {
    api = await startInProcessApi();
    connected = connect(api);
    manager = new ControllerManager({
      client: connected.client,
      controllers: [serviceAccountControllerDescriptor, tokensControllerDescriptor, rootCaPublisherDescriptor],
      rootCaPem: CA,
      serviceAccountKeyPem: KEY,
      log: () => undefined,
    });
    manager.start();
  });
  after(async () => {
    await manager.stop();
    connected.close();
    await api.stop();
  });

  test('existing and new namespaces get a default ServiceAccount, recreated when deleted', async () => {
    await pollUntil('default/default', async () => ((await status('/api/v1/namespaces/default/serviceaccounts/default')) === 200 ? true : undefined));
    await api.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } } });
    const path = '/api/v1/namespaces/team/serviceaccounts/default';
    const first = await pollUntil('team/default', () => uidOf(path));
    await api.request('DELETE', path);
    const second = await pollUntil('team/default again', async () => {
      const uid = await uidOf(path);
      return uid !== undefined && uid !== first ? uid : undefined;
    });
    assert.notEqual(second, first);
  });

  test('every namespace gets kube-root-ca.crt with the CA, restored when changed or deleted', async () => {
    await api.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ca-team' } } });
    const path = '/api/v1/namespaces/ca-team/configmaps/kube-root-ca.crt';
    const caOf = async (): Promise<string | undefined> => {
      const res = await api.request('GET', path);
      return res.status === 200 ? (res.body.data?.['ca.crt'] as string | undefined) : undefined;
    };
    assert.equal(await pollUntil('kube-root-ca.crt', caOf), CA);
    const created = (await api.request('GET', path)).body;
    assert.match(created.metadata.annotations['kubernetes.io/description'], /^Contains a CA bundle that can be used to verify the kube-apiserver/);
    await api.request('PATCH', path, { body: { data: { 'ca.crt': 'tampered', extra: 'x' } }, contentType: 'application/merge-patch+json' });
    await pollUntil('restored', async () => {
      const res = await api.request('GET', path);
      return res.body.data?.['ca.crt'] === CA && res.body.data?.extra === undefined ? true : undefined;
    });
    await api.request('DELETE', path);
    assert.equal(await pollUntil('recreated', async () => ((await status(path)) === 200 ? caOf() : undefined)), CA);
  });

  test('a token Secret of an existing account is filled in; without the account it is deleted', async () => {
    await pollUntil('default/default', async () => ((await status('/api/v1/namespaces/default/serviceaccounts/default')) === 200 ? true : undefined));
    const account = (await api.request('GET', '/api/v1/namespaces/default/serviceaccounts/default')).body;
    const secret = (name: string, accountName: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: { name, annotations: { 'kubernetes.io/service-account.name': accountName } },
    });
    assert.equal((await api.request('POST', '/api/v1/namespaces/default/secrets', { body: secret('legacy', 'default') })).status, 201);
    const filled = await pollUntil('token filled in', async () => {
      const res = await api.request('GET', '/api/v1/namespaces/default/secrets/legacy');
      return res.body.data?.token !== undefined ? res.body : undefined;
    });
    const text = (value: string): string => Buffer.from(value, 'base64').toString();
    assert.equal(text(filled.data['ca.crt']), CA);
    assert.equal(text(filled.data.namespace), 'default');
    assert.equal(filled.metadata.annotations['kubernetes.io/service-account.uid'], account.metadata.uid);
    const claims = JSON.parse(Buffer.from(text(filled.data.token).split('.')[1]!, 'base64url').toString());
    assert.equal(claims.iss, 'kubernetes/serviceaccount');
    assert.equal(claims.sub, 'system:serviceaccount:default:default');
    assert.equal(claims['kubernetes.io/serviceaccount/secret.name'], 'legacy');

    assert.equal((await api.request('POST', '/api/v1/namespaces/default/secrets', { body: secret('orphan', 'nobody') })).status, 201);
    await pollUntil('orphan deleted', async () => ((await status('/api/v1/namespaces/default/secrets/orphan')) === 404 ? true : undefined));
  });
});
