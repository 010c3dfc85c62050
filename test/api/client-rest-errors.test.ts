/**
 * How the client library surfaces failures of a real API server: the server's Status
 * as a StatusError with code, reason, message and details (NotFound, AlreadyExists,
 * Conflict, Invalid with field causes, BadRequest), and requests that got no answer
 * as TransportErrors (refused connection, abort).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError, isStatusReason } from '../../src/api/status.js';
import { HttpsTransport, RestClient, isTransportError } from '../../src/client/index.js';
import type { ResourceTarget } from '../../src/client/index.js';
import { connect, type ConnectedClient } from '../support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';

const configMaps: ResourceTarget = { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' };

/** The error `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected the request to fail');
}

describe('RestClient errors from a real API server', () => {
  let api: InProcessApi;
  let conn: ConnectedClient;
  before(async () => {
    api = await startInProcessApi();
    conn = connect(api);
  });
  after(async () => {
    conn.close();
    await api.stop();
  });

  test('a missing object is NotFound, naming it', async () => {
    const err = await rejection(conn.client.get(configMaps, 'absent'));
    assert.ok(err instanceof StatusError);
    assert.equal(err.code, 404);
    assert.ok(isStatusReason(err, 'NotFound'));
    assert.equal(err.message, 'configmaps "absent" not found');
    assert.equal(err.details?.name, 'absent');
    assert.equal(err.details?.kind, 'configmaps');
  });

  test('a second create of a name is AlreadyExists', async () => {
    await conn.client.create(configMaps, { metadata: { name: 'twice' } });
    const err = await rejection(conn.client.create(configMaps, { metadata: { name: 'twice' } }));
    assert.ok(isStatusReason(err, 'AlreadyExists'));
    assert.equal(err.code, 409);
    assert.equal(err.details?.name, 'twice');
  });

  test('an update from a stale resourceVersion is Conflict and changes nothing', async () => {
    const first = await conn.client.create(configMaps, { metadata: { name: 'contended' }, data: { v: '1' } });
    await conn.client.update(configMaps, { ...first, data: { v: '2' } });
    const err = await rejection(conn.client.update(configMaps, { ...first, data: { v: 'stale' } }));
    assert.ok(isStatusReason(err, 'Conflict'));
    assert.equal(err.code, 409);
    assert.match(err.message, /the object has been modified/);
    assert.deepEqual((await conn.client.get(configMaps, 'contended'))['data'], { v: '2' });
  });

  test('an invalid object is Invalid with one cause per bad field', async () => {
    const err = await rejection(conn.client.create(configMaps, { metadata: { name: 'Not_A_DNS_Name' } }));
    assert.ok(isStatusReason(err, 'Invalid'));
    assert.equal(err.code, 422);
    assert.equal(err.details?.kind, 'ConfigMap');
    assert.equal(err.details?.name, 'Not_A_DNS_Name');
    assert.deepEqual(err.details?.causes?.map((c) => `${c.reason} ${c.field}`), ['FieldValueInvalid metadata.name']);
  });

  test('an apply without a field manager is Invalid, naming the missing option', async () => {
    const err = await rejection(conn.client.patch(configMaps, 'anything', 'apply', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'anything' } }));
    assert.ok(isStatusReason(err, 'Invalid'));
    assert.deepEqual(err.details?.causes?.map((c) => `${c.reason} ${c.field}`), ['FieldValueRequired fieldManager']);
  });

  test('a malformed selector is BadRequest, for a list and for a watch alike', async () => {
    assert.ok(isStatusReason(await rejection(conn.client.list(configMaps, { labelSelector: 'a in (' })), 'BadRequest'));
    assert.ok(isStatusReason(await rejection(conn.client.watch(configMaps, { labelSelector: 'a in (' })), 'BadRequest'));
  });

  test('a resource the server does not serve is NotFound', async () => {
    const widgets: ResourceTarget = { group: 'example.com', version: 'v1', resource: 'widgets', namespace: 'default' };
    const err = await rejection(conn.client.list(widgets));
    assert.ok(isStatusReason(err, 'NotFound'));
  });

  test('an aborted request is a TransportError of kind Aborted', async () => {
    const stop = new AbortController();
    stop.abort();
    assert.ok(isTransportError(await rejection(conn.client.get(configMaps, 'x', { signal: stop.signal })), 'Aborted'));
    const later = new AbortController();
    const pending = conn.client.list(configMaps, { signal: later.signal });
    later.abort();
    const err = await rejection(pending);
    assert.ok(isTransportError(err, 'Aborted'), String(err));
  });
});

test('a server that is not listening is a TransportError of kind Network', async () => {
  const gone = await startInProcessApi();
  await gone.stop();
  const transport = new HttpsTransport({ server: gone.url });
  try {
    const err = await rejection(new RestClient(transport, { maxRetries: 0 }).get(configMaps, 'x'));
    assert.ok(isTransportError(err, 'Network'));
    assert.equal(err.code, 'ECONNREFUSED');
  } finally {
    transport.close();
  }
});
