/**
 * The pod garbage collector against a real API server (in process, memory store) on
 * a fake clock: terminated pods above the threshold, orphaned pods after the
 * quarantine, the deletion order.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { connect, type ConnectedClient } from '../../../test/support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';
import { pollUntil } from '../../../test/support/poll.js';
import { FakeClock } from '../../client/index.js';
import { ControllerManager } from '../manager.js';
import { byEvictionAndAge, podGcControllerDescriptor } from './podGcController.js';

const PODS = '/api/v1/namespaces/default/pods';

describe('pod garbage collector', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  let manager: ControllerManager;
  const clock = new FakeClock(Date.now());

  const createPod = async (name: string, nodeName: string, status: PodStatus): Promise<void> => {
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] } };
    assert.equal((await api.request('POST', PODS, { body: pod })).status, 201);
    await api.request('PATCH', `${PODS}/${name}/status`, { body: { status }, contentType: 'application/merge-patch+json' });
  };
  const exists = async (name: string): Promise<boolean> => (await api.request('GET', `${PODS}/${name}`)).status === 200;

  before(async () => {
    api = await startInProcessApi();
    connected = connect(api);
    await api.request('POST', '/api/v1/nodes', { body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } } });
    await createPod('done-a', 'node-1', { phase: 'Succeeded' });
    await createPod('done-b', 'node-1', { phase: 'Failed' });
    await createPod('evicted', 'node-1', { phase: 'Failed', reason: 'Evicted', message: 'low on memory' });
    await createPod('running', 'node-1', { phase: 'Running' });
    await createPod('orphan', 'ghost-node', { phase: 'Running' });
    manager = new ControllerManager({ client: connected.client, controllers: [podGcControllerDescriptor], clock, settings: { terminatedPodGcThreshold: 2 }, log: () => undefined });
    manager.start();
  });
  after(async () => {
    await manager.stop();
    connected.close();
    await api.stop();
  });

  test('terminated pods above the threshold are deleted, evicted ones first', async () => {
    await pollUntil('the evicted pod deleted', async () => ((await exists('evicted')) ? undefined : true));
    for (const name of ['done-a', 'done-b', 'running']) assert.ok(await exists(name), name);
  });

  test('pods of a node that does not exist are deleted once the quarantine is over', async () => {
    await clock.advance(20_000);
    assert.ok(await exists('orphan'), 'still quarantined');
    await pollUntil('the orphan deleted', async () => {
      if (!(await exists('orphan'))) return true;
      await clock.advance(5_000);
      return undefined;
    });
    assert.ok(await exists('running'));
  });

  test('the deletion order: evicted first, then oldest, then by name', () => {
    const pod = (name: string, created: string, evicted = false): Pod => ({
      metadata: { name, creationTimestamp: created },
      status: evicted ? { phase: 'Failed', reason: 'Evicted' } : { phase: 'Succeeded' },
    });
    const sorted = [pod('b', '2026-01-01T00:00:01Z'), pod('c', '2026-01-01T00:00:00Z'), pod('a', '2026-01-01T00:00:01Z'), pod('z', '2026-01-01T00:00:09Z', true)].sort(byEvictionAndAge);
    assert.deepEqual(sorted.map((p) => p.metadata?.name), ['z', 'c', 'a', 'b']);
  });
});
