import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ConnectedClient } from '../../../test/support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';
import { pollUntil } from '../../../test/support/poll.js';
import { ControllerManager } from '../manager.js';
import { rootCaPublisherDescriptor } from '../rootca/rootCaPublisher.js';
import { serviceAccountControllerDescriptor } from './serviceAccountController.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';

describe('serviceaccount and root-ca-cert-publisher controllers', () => {
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
      controllers: [serviceAccountControllerDescriptor, rootCaPublisherDescriptor],
      rootCaPem: CA,
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
});
