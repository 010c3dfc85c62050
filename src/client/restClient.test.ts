import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/object.js';
import { StatusError, isStatusReason, notFound } from '../api/status.js';
import { FakeClock } from './clock.js';
import { RestClient } from './restClient.js';
import { FakeApiServer } from './testing/fakeApi.js';
import { TransportError, isTransportError } from './transport.js';
import type { Transport, TransportRequest, TransportResponse } from './transport.js';

const cms = (namespace?: string) => ({ group: '', version: 'v1', resource: 'configmaps', ...(namespace ? { namespace } : {}) });
const deployments = { group: 'apps', version: 'v1', resource: 'deployments', namespace: 'prod' };

/** A transport that records requests and answers with a canned response. */
function recording(status = 200, body = '{"metadata":{}}', headers: Record<string, string> = {}): { transport: Transport; seen: TransportRequest[] } {
  const seen: TransportRequest[] = [];
  const transport: Transport = {
    request: async (req): Promise<TransportResponse> => {
      seen.push(req);
      return { status, headers, body: (async function* () { yield Buffer.from(body); })() };
    },
  };
  return { transport, seen };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected a rejection');
}

describe('RestClient requests', () => {
  test('builds methods, paths, queries and content types as the REST API expects', async () => {
    const { transport, seen } = recording();
    const client = new RestClient(transport, { userAgent: 'k8ts-test' });
    const obj: KubeObject = { metadata: { name: 'web', resourceVersion: '7' } };
    await client.get(deployments, 'web', { subresource: 'scale' });
    await client.list(cms(), { labelSelector: 'app=x', limit: 10, continue: 'tok', resourceVersion: '0' });
    await client.create(deployments, obj, { fieldManager: 'me', dryRun: true });
    await client.update(deployments, obj, { subresource: 'status' });
    await client.patch(deployments, 'web', 'strategic', { spec: { replicas: 2 } });
    await client.patch(deployments, 'web', 'apply', { metadata: { name: 'web' } }, { fieldManager: 'me', force: true });
    await client.patch(deployments, 'web', 'json', [{ op: 'replace', path: '/spec/replicas', value: 3 }]);
    await client.delete(deployments, 'web', { propagationPolicy: 'Foreground', gracePeriodSeconds: 0, preconditions: { uid: 'u1' } });
    await client.deleteCollection(cms('ns1'), { labelSelector: 'stale=true' });
    const shape = seen.map((r) => `${r.method} ${r.path}${r.query && r.query.size > 0 ? `?${r.query}` : ''} ${r.headers?.['content-type'] ?? '-'}`);
    assert.deepEqual(shape, [
      'GET /apis/apps/v1/namespaces/prod/deployments/web/scale -',
      'GET /api/v1/configmaps?labelSelector=app%3Dx&limit=10&continue=tok&resourceVersion=0 -',
      'POST /apis/apps/v1/namespaces/prod/deployments?dryRun=All&fieldManager=me application/json',
      'PUT /apis/apps/v1/namespaces/prod/deployments/web/status application/json',
      'PATCH /apis/apps/v1/namespaces/prod/deployments/web application/strategic-merge-patch+json',
      'PATCH /apis/apps/v1/namespaces/prod/deployments/web?fieldManager=me&force=true application/apply-patch+yaml',
      'PATCH /apis/apps/v1/namespaces/prod/deployments/web application/json-patch+json',
      'DELETE /apis/apps/v1/namespaces/prod/deployments/web application/json',
      'DELETE /api/v1/namespaces/ns1/configmaps?labelSelector=stale%3Dtrue application/json',
    ]);
    assert.ok(seen.every((r) => r.headers?.['accept'] === 'application/json' && r.headers['user-agent'] === 'k8ts-test'));
    assert.deepEqual(JSON.parse(seen[7]!.body as string), {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Foreground',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'u1' },
    });
  });

  test('watch asks for watch=true and decodes the stream', async () => {
    const lines = ['{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"5"}}}', '{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}'];
    const { transport, seen } = recording(200, lines.join('\n') + '\n');
    const client = new RestClient(transport);
    const events = await client.watch(cms('ns'), { resourceVersion: '4', allowWatchBookmarks: true, timeoutSeconds: 300 });
    const got: string[] = [];
    for await (const e of events) got.push(`${e.type} ${e.object.metadata?.resourceVersion}`);
    assert.deepEqual(got, ['ADDED 5', 'BOOKMARK 9']);
    assert.equal(seen[0]!.query?.toString(), 'watch=true&resourceVersion=4&allowWatchBookmarks=true&timeoutSeconds=300');
  });

  test('refuses a namespace for a cluster-scoped resource', async () => {
    const client = new RestClient(recording().transport);
    await assert.rejects(client.get({ group: '', version: 'v1', resource: 'nodes', namespace: 'x' }, 'n1'));
  });
});

describe('RestClient errors', () => {
  test('a Status body becomes a StatusError with its code, reason, message and details', async () => {
    const status = notFound({ group: 'apps', resource: 'deployments' }, 'web').toStatus();
    const client = new RestClient(recording(404, JSON.stringify(status)).transport);
    const err = await rejection(client.get(deployments, 'web'));
    assert.ok(err instanceof StatusError);
    assert.equal(err.code, 404);
    assert.equal(err.reason, 'NotFound');
    assert.equal(err.message, status.message);
    assert.deepEqual(err.details, status.details);
    assert.ok(isStatusReason(err, 'NotFound'));
  });

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
      const client = new RestClient(recording(code, 'proxy says no', { 'retry-after': '3' }).transport, { maxRetries: 0 });
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

  test('retries what the server asks to retry, after the wait it names, up to maxRetries', async () => {
    const api = new FakeApiServer();
    const clock = new FakeClock();
    const client = new RestClient(api, { clock, maxRetries: 3 });
    await client.create(cms('ns'), { metadata: { name: 'c' } });
    const busy = { status: 429, body: 'slow down', headers: { 'retry-after': '2' } };
    api.injectFailure((r) => r.method === 'GET', busy, 2);
    const got = client.get(cms('ns'), 'c');
    await clock.advance(4_000);
    assert.equal((await got).metadata.name, 'c');
    assert.equal(api.requests.filter((r) => r.method === 'GET').length, 3);

    api.injectFailure((r) => r.method === 'GET', busy, 4);
    const exhausted = rejection(client.get(cms('ns'), 'c'));
    await clock.advance(10_000);
    const err = await exhausted;
    assert.ok(isStatusReason(err, 'TooManyRequests'));
    assert.equal(api.requests.filter((r) => r.method === 'GET').length, 3 + 4);

    // A 500 without Retry-After, and a non-GET whose connection was reset, are not retried.
    api.injectFailure((r) => r.method === 'GET', { status: 500, body: 'boom' });
    assert.ok(isStatusReason(await rejection(client.get(cms('ns'), 'c')), 'InternalError'));
    api.injectFailure((r) => r.method === 'POST', new TransportError('Network', 'reset', { code: 'ECONNRESET' }));
    assert.ok(isTransportError(await rejection(client.create(cms('ns'), { metadata: { name: 'd' } })), 'Network'));
    // A GET whose connection was reset is.
    api.injectFailure((r) => r.method === 'GET', new TransportError('Network', 'reset', { code: 'ECONNRESET' }));
    const retried = client.get(cms('ns'), 'c');
    await clock.advance(1_000);
    assert.equal((await retried).metadata.name, 'c');
  });

  test('network failures and aborts are TransportErrors of their kind', async () => {
    const refused: Transport = {
      request: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
      },
    };
    const err = await rejection(new RestClient(refused).get(deployments, 'web'));
    assert.ok(isTransportError(err, 'Network'));
    assert.equal(err.code, 'ECONNREFUSED');

    const stop = new AbortController();
    stop.abort();
    const aborted = await rejection(new RestClient(new FakeApiServer()).get(deployments, 'web', { signal: stop.signal }));
    assert.ok(isTransportError(aborted, 'Aborted'));
  });

  test('a 2xx body that is not JSON is a Decode error', async () => {
    const err = await rejection(new RestClient(recording(200, '<html>').transport).get(deployments, 'web'));
    assert.ok(err instanceof TransportError);
    assert.equal(err.kind, 'Decode');
  });
});

describe('RestClient against the fake API', () => {
  test('create, get, update with optimistic concurrency, merge patch, delete with preconditions', async () => {
    const client = new RestClient(new FakeApiServer());
    const created = await client.create<KubeObject>(cms('ns'), { metadata: { name: 'c1' }, data: { k: 'v' } });
    assert.equal(created.metadata.namespace, 'ns');
    assert.ok(created.metadata.resourceVersion);
    assert.equal((await client.get(cms('ns'), 'c1'))['data'] instanceof Object, true);

    const exists = await rejection(client.create(cms('ns'), { metadata: { name: 'c1' } }));
    assert.ok(isStatusReason(exists, 'AlreadyExists'));

    const updated = await client.update(cms('ns'), { ...created, data: { k: 'v2' } });
    const stale = await rejection(client.update(cms('ns'), { ...created, data: { k: 'v3' } }));
    assert.ok(isStatusReason(stale, 'Conflict'));

    const patched = await client.patch(cms('ns'), 'c1', 'merge', { data: { k: null, other: 'x' } });
    assert.deepEqual(patched['data'], { other: 'x' });

    const wrongVersion = await rejection(client.delete(cms('ns'), 'c1', { preconditions: { resourceVersion: updated.metadata.resourceVersion! } }));
    assert.ok(isStatusReason(wrongVersion, 'Conflict'));
    await client.delete(cms('ns'), 'c1', { preconditions: { uid: created.metadata.uid! } });
    assert.ok(isStatusReason(await rejection(client.get(cms('ns'), 'c1')), 'NotFound'));
  });

  test('list pages carry a continue token until the collection is exhausted', async () => {
    const client = new RestClient(new FakeApiServer());
    for (let i = 0; i < 5; i++) await client.create(cms('ns'), { metadata: { name: `c${i}` } });
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.list(cms('ns'), { limit: 2, continue: token });
      names.push(...page.items.map((i) => i.metadata.name!));
      token = page.metadata.continue;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(names.sort(), ['c0', 'c1', 'c2', 'c3', 'c4']);
  });
});
