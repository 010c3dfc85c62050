import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupDiscoveryFailedError, namespacedOnly, parseGroupVersion, serverPreferredResources } from './discovery.js';
import { RestClient } from './restClient.js';
import type { Transport, TransportResponse } from './transport.js';

/** A transport serving fixed JSON documents by path; other paths get a 503 Status. */
function documents(byPath: Record<string, unknown>): Transport {
  return {
    request: async (req): Promise<TransportResponse> => {
      const doc = byPath[req.path];
      const [status, body] =
        doc === undefined
          ? [503, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 503, reason: 'ServiceUnavailable', message: 'the server is currently unable to handle the request' }]
          : [200, doc];
      return { status, headers: {}, body: (async function* () { yield Buffer.from(JSON.stringify(body)); })() };
    },
  };
}

const resource = (name: string, namespaced = true) => ({ name, kind: name, namespaced, verbs: ['delete', 'deletecollection', 'list'] });

const SERVER = {
  '/api': { kind: 'APIVersions', versions: ['v1'] },
  '/api/v1': { groupVersion: 'v1', resources: [resource('pods'), resource('pods/status'), resource('nodes', false)] },
  '/apis': {
    groups: [
      {
        name: 'autoscaling',
        versions: [{ groupVersion: 'autoscaling/v2', version: 'v2' }, { groupVersion: 'autoscaling/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' },
      },
      { name: 'metrics.k8s.io', versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }], preferredVersion: { version: 'v1beta1' } },
    ],
  },
  '/apis/autoscaling/v2': { groupVersion: 'autoscaling/v2', resources: [resource('horizontalpodautoscalers')] },
  '/apis/autoscaling/v1': { groupVersion: 'autoscaling/v1', resources: [resource('horizontalpodautoscalers'), resource('legacyonly')] },
};

describe('serverPreferredResources', () => {
  test('each resource once, in its preferred version; subresources left out; failed group-versions reported', async () => {
    const found = await serverPreferredResources(new RestClient(documents(SERVER)));
    assert.deepEqual(
      found.lists.map((l) => [l.groupVersion, l.resources.map((r) => r.name)]),
      [
        ['v1', ['pods', 'nodes']],
        ['autoscaling/v2', ['horizontalpodautoscalers']],
        ['autoscaling/v1', ['legacyonly']],
      ],
    );
    assert.ok(found.failure instanceof GroupDiscoveryFailedError);
    assert.equal(found.failure.message, 'unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request');
    assert.deepEqual([...found.failure.groups.keys()], ['metrics.k8s.io/v1beta1']);
    assert.deepEqual(namespacedOnly(found.lists)[0]?.resources.map((r) => r.name), ['pods']);
  });

  test('no failure when every group-version answers; /apis failing is fatal', async () => {
    const healthy = { ...SERVER, '/apis': { groups: [] } };
    assert.equal((await serverPreferredResources(new RestClient(documents(healthy)))).failure, undefined);
    const broken: Record<string, unknown> = { ...SERVER };
    delete broken['/apis'];
    await assert.rejects(serverPreferredResources(new RestClient(documents(broken), { maxRetries: 0 })), /unable to handle the request/);
  });

  test('parseGroupVersion', () => {
    assert.deepEqual(parseGroupVersion('v1'), { group: '', version: 'v1' });
    assert.deepEqual(parseGroupVersion('apps/v1'), { group: 'apps', version: 'v1' });
    assert.throws(() => parseGroupVersion('a/b/c'), /^Error: unexpected GroupVersion string: a\/b\/c$/);
  });
});
