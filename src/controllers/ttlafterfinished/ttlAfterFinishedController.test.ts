/**
 * The TTL-after-finished controller against a real API server (in process, memory
 * store, with the garbage collector finishing the foreground deletions) on a fake clock: finished Jobs go once their TTL has passed, not before;
 * running Jobs and Jobs without a TTL stay.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ConnectedClient } from '../../../test/support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';
import { pollUntil } from '../../../test/support/poll.js';
import { FakeClock } from '../../client/index.js';
import { ControllerManager } from '../manager.js';
import { garbageCollectorDescriptor } from '../garbagecollector/garbageCollector.js';
import { ttlAfterFinishedControllerDescriptor } from './ttlAfterFinishedController.js';

const JOBS_PATH = '/apis/batch/v1/namespaces/default/jobs';
const time = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

describe('ttl-after-finished controller', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  let manager: ControllerManager;
  const clock = new FakeClock(Date.now());

  const createJob = async (name: string, ttl: number | undefined, finishedAt: number | undefined) => {
    const spec: Record<string, unknown> = { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } };
    if (ttl !== undefined) spec.ttlSecondsAfterFinished = ttl;
    const res = await api.request('POST', JOBS_PATH, { body: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, spec } });
    assert.equal(res.status, 201, res.text);
    if (finishedAt === undefined) return;
    const at = time(finishedAt);
    const status = { startTime: at, completionTime: at, succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: at }, { type: 'Complete', status: 'True', lastTransitionTime: at }] };
    const patched = await api.request('PATCH', `${JOBS_PATH}/${name}/status`, { body: { status }, contentType: 'application/merge-patch+json' });
    assert.equal(patched.status, 200, patched.text);
  };
  const exists = async (name: string) => (await api.request('GET', `${JOBS_PATH}/${name}`)).status === 200;

  before(async () => {
    api = await startInProcessApi();
    connected = connect(api);
    manager = new ControllerManager({ client: connected.client, controllers: [ttlAfterFinishedControllerDescriptor, garbageCollectorDescriptor], clock, log: () => undefined });
    manager.start();
  });
  after(async () => {
    await manager.stop();
    connected.close();
    await api.stop();
  });

  test('a finished Job is deleted once ttlSecondsAfterFinished has passed since it finished', async () => {
    await createJob('done', 60, clock.now());
    await createJob('zero', 0, clock.now());
    await createJob('running', 0, undefined);
    await createJob('keep', undefined, clock.now());
    await pollUntil('zero deleted', async () => (!(await exists('zero')) ? true : undefined));
    assert.ok(await exists('done'), 'not before its TTL');
    await clock.advance(61_000);
    await pollUntil('done deleted', async () => (!(await exists('done')) ? true : undefined));
    assert.ok(await exists('running'));
    assert.ok(await exists('keep'));
  });
});
