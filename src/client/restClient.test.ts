// Unit tests of what a real API server never sends (answers of proxies and other
// non-apiservers) and of checks made before any request. The RestClient against a real
// server: test/api/client-rest*.test.ts and test/api/client-watch.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/object.js';
import { StatusError } from '../api/status.js';
import { RestClient } from './restClient.js';
import { TransportError } from './transport.js';
import type { Transport, TransportResponse } from './transport.js';

const deployments = { group: 'apps', version: 'v1', resource: 'deployments', namespace: 'prod' };

/** A transport answering every request with one canned response, counting the requests. */
function canned(status = 200, body = '{"metadata":{}}', headers: Record<string, string> = {}): Transport & { sent: number } {
  const transport = {
    sent: 0,
    request: async (): Promise<TransportResponse> => {
      transport.sent++;
      return { status, headers, body: (async function* () { yield Buffer.from(body); })() };
    },
  };
  return transport;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected a rejection');
}

describe('RestClient before any request', () => {
  test('refuses a namespace for a cluster-scoped resource without sending anything', async () => {
    const transport = canned();
    const client = new RestClient(transport);
    await assert.rejects(client.get({ group: '', version: 'v1', resource: 'nodes', namespace: 'x' }, 'n1'), /cluster-scoped/);
    assert.equal(transport.sent, 0);
  });
});

describe('RestClient answers from something other than an API server', () => {
  test('a non-Status error body gets client-go generic errors by code', async () => {
    const cases: [number, string, string, string | undefined][] = [
      [409, 'POST', 'AlreadyExists', 'the server reported a conflict'],
      [409, 'PUT', 'Conflict', 'the server reported a conflict'],
      [404, 'GET', 'NotFound', 'the server could not find the requested resource'],
      [422, 'PUT', 'Invalid', 'the server rejected our request due to an error in our request'],
      [429, 'GET', 'TooManyRequests', undefined],
      [502, 'GET', 'InternalError', undefined],
      [403, 'GET', 'Forbidden', 'proxy says no'],
    ];
    for (const [code, method, reason, message] of cases) {
      const client = new RestClient(canned(code, 'proxy says no', { 'retry-after': '3' }), { maxRetries: 0 });
      const obj: KubeObject = { metadata: { name: 'web' } };
      const call = method === 'POST' ? client.create(deployments, obj) : method === 'PUT' ? client.update(deployments, obj) : client.get(deployments, 'web');
      const err = await rejection(call);
      assert.ok(err instanceof StatusError, `${code}`);
      assert.equal(err.code, code);
      assert.equal(err.reason, reason);
      if (message !== undefined) assert.ok(err.message.startsWith(message), err.message);
      assert.ok(err.message.endsWith(`(${method.toLowerCase()} deployments.apps${method === 'POST' ? '' : ' web'})`), err.message);
      assert.equal(err.details?.causes?.[0]?.reason, 'UnexpectedServerResponse');
      assert.equal(err.details?.causes?.[0]?.message, 'proxy says no');
      if (code === 429) assert.equal(err.details?.retryAfterSeconds, 3);
    }
  });

  test('a 2xx body that is not JSON is a Decode error', async () => {
    const err = await rejection(new RestClient(canned(200, '<html>')).get(deployments, 'web'));
    assert.ok(err instanceof TransportError);
    assert.equal(err.kind, 'Decode');
  });
});
