/**
 * The RestClient's retries against a real API server: a 429 or 5xx with Retry-After,
 * and a GET whose connection was reset, are sent again after the wait, up to
 * maxRetries; other failures are not. The busy answers and resets are made by the
 * test in front of the server (a real server gives them only under load); every
 * other answer is the server's. Waits run on a FakeClock.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusReason } from '../../src/api/status.js';
import { FakeClock, TransportError, isTransportError } from '../../src/client/index.js';
import type { ResourceTarget } from '../../src/client/index.js';
import { connect, type ConnectedClient } from '../support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';
import { statusAnswer, type SeenRequest } from '../support/tappedTransport.js';

const configMaps: ResourceTarget = { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' };
const isGet = (r: SeenRequest): boolean => r.method === 'GET';
const busy = () => statusAnswer(429, 'TooManyRequests', 'slow down', { 'retry-after': '2' });
const reset = (): never => {
  throw new TransportError('Network', 'read ECONNRESET', { code: 'ECONNRESET' });
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected the request to fail');
}

describe('RestClient retries', () => {
  let api: InProcessApi;
  let conn: ConnectedClient;
  const clock = new FakeClock();
  before(async () => {
    api = await startInProcessApi();
    conn = connect(api, { clock, maxRetries: 3 });
    await conn.client.create(configMaps, { metadata: { name: 'target' } });
  });
  after(async () => {
    conn.close();
    await api.stop();
  });

  const gets = (): number => conn.tap.requests.filter(isGet).length;

  test('a busy answer with Retry-After is retried after the wait it names, then the server answers', async () => {
    const sent = gets();
    conn.tap.intercept(isGet, busy, 2);
    const got = conn.client.get(configMaps, 'target');
    await clock.advance(1_999);
    assert.equal(gets() - sent, 1, 'no retry before the two seconds passed');
    await clock.advance(2_001);
    assert.equal((await got).metadata.name, 'target');
    assert.equal(gets() - sent, 3);
  });

  test('after maxRetries the busy answer is the error', async () => {
    const sent = gets();
    conn.tap.intercept(isGet, busy, 4);
    const failing = rejection(conn.client.get(configMaps, 'target'));
    await clock.advance(10_000);
    const err = await failing;
    assert.ok(isStatusReason(err, 'TooManyRequests'));
    assert.equal(gets() - sent, 4);
  });

  test('a 5xx without Retry-After is not retried', async () => {
    const sent = gets();
    conn.tap.intercept(isGet, () => statusAnswer(503, 'ServiceUnavailable', 'down'));
    assert.ok(isStatusReason(await rejection(conn.client.get(configMaps, 'target')), 'ServiceUnavailable'));
    assert.equal(gets() - sent, 1);
  });

  test('a reset connection is retried for a GET only', async () => {
    conn.tap.intercept((r) => r.method === 'POST', reset);
    const err = await rejection(conn.client.create(configMaps, { metadata: { name: 'never' } }));
    assert.ok(isTransportError(err, 'Network'));
    await assert.rejects(conn.client.get(configMaps, 'never'), { reason: 'NotFound' });

    conn.tap.intercept(isGet, reset);
    const retried = conn.client.get(configMaps, 'target');
    await clock.advance(1_000);
    assert.equal((await retried).metadata.name, 'target');
  });
});
