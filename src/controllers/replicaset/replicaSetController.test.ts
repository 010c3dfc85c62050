/**
 * The ReplicaSet and ReplicationController controllers against a real API server (in
 * process, memory store), on a fake clock: pod counts, ownerReferences, adoption and
 * release, which pods a scale-down removes, status and the ReplicaFailure condition.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ConnectedClient } from '../../../test/support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';
import { pollUntil } from '../../../test/support/poll.js';
import { FakeClock } from '../../client/index.js';
import { ControllerManager } from '../manager.js';
import { replicaSetControllerDescriptor, replicationControllerDescriptor } from './replicaSetController.js';

const RS_PATH = '/apis/apps/v1/namespaces/default/replicasets';
const PODS_PATH = '/api/v1/namespaces/default/pods';

const template = (app: string, extra: Record<string, unknown> = {}) => ({
  metadata: { labels: { app, tier: 'web' } },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...extra },
});

const replicaSet = (name: string, replicas: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: template(name), ...extra },
});

describe('replicaset and replicationcontroller controllers', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  let manager: ControllerManager;
  const clock = new FakeClock(Date.now());

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const podsOf = async (app: string): Promise<any[]> => {
    const res = await api.request('GET', `${PODS_PATH}?labelSelector=app%3D${app}`);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (res.body.items as any[]).filter((p) => p.metadata.deletionTimestamp === undefined);
  };
  const podCount = (app: string, count: number) =>
    pollUntil(`${count} pods of ${app}`, async () => {
      const pods = await podsOf(app);
      return pods.length === count ? pods : undefined;
    });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const statusOf = async (path: string): Promise<any> => (await api.request('GET', path)).body.status;
  const setPodStatus = (name: string, status: Record<string, unknown>) =>
    api.request('PATCH', `${PODS_PATH}/${name}/status`, { body: { status }, contentType: 'application/merge-patch+json' });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const eventsAbout = async (kind: string, name: string, reason: string): Promise<any[]> => {
    const res = await api.request('GET', `/api/v1/namespaces/default/events?fieldSelector=involvedObject.kind%3D${kind},involvedObject.name%3D${name},reason%3D${reason}`);
    return res.body.items;
  };
  const readySince = (ms: number) => ({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z') }] });

  before(async () => {
    api = await startInProcessApi(undefined, { serviceAccountAdmission: true });
    await api.request('POST', '/api/v1/namespaces/default/serviceaccounts', { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } } });
    connected = connect(api);
    manager = new ControllerManager({ client: connected.client, controllers: [replicaSetControllerDescriptor, replicationControllerDescriptor], clock, log: () => undefined });
    manager.start();
  });
  after(async () => {
    await manager.stop();
    connected.close();
    await api.stop();
  });

  test('a ReplicaSet gets its pods, each controlled by it, and reports status', async () => {
    const rs = (await api.request('POST', RS_PATH, { body: replicaSet('web', 3) })).body;
    const pods = await podCount('web', 3);
    for (const pod of pods) {
      assert.match(pod.metadata.name, /^web-[a-z0-9]{5}$/);
      assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      assert.deepEqual(pod.metadata.labels, { app: 'web', tier: 'web' });
      assert.equal(pod.spec.containers[0].image, 'busybox');
    }
    const status = await pollUntil('status', async () => {
      const s = await statusOf(`${RS_PATH}/web`);
      return s?.replicas === 3 ? s : undefined;
    });
    assert.equal(status.fullyLabeledReplicas, 3);
    assert.equal(status.readyReplicas ?? 0, 0);
    assert.equal(status.observedGeneration, 1);
    await api.request('DELETE', `${PODS_PATH}/${pods[0].metadata.name}`);
    const replaced = await podCount('web', 3);
    assert.ok(!replaced.some((p) => p.metadata.name === pods[0].metadata.name));
    const created = await pollUntil('SuccessfulCreate events', async () => {
      const events = await eventsAbout('ReplicaSet', 'web', 'SuccessfulCreate');
      return events.length === 4 ? events : undefined;
    });
    assert.deepEqual(created.map((e) => e.message).sort(), [...pods, ...replaced].map((p) => `Created pod: ${p.metadata.name}`).filter((m, i, all) => all.indexOf(m) === i).sort());
    assert.equal(created[0].type, 'Normal');
    assert.equal(created[0].source.component, 'replicaset-controller');
  });

  test('matching orphans are adopted and pods that stop matching are released', async () => {
    const orphan = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    assert.equal((await api.request('POST', PODS_PATH, { body: orphan })).status, 201);
    const rs = (await api.request('POST', RS_PATH, { body: replicaSet('adopt', 2) })).body;
    const pods = await podCount('adopt', 2);
    const stray = await pollUntil('adopted', async () => {
      const p = (await api.request('GET', `${PODS_PATH}/stray`)).body;
      return p.metadata.ownerReferences !== undefined ? p : undefined;
    });
    assert.ok(pods.some((p) => p.metadata.name === 'stray'));
    assert.equal(stray.metadata.ownerReferences[0].uid, rs.metadata.uid);
    assert.equal(stray.metadata.ownerReferences[0].blockOwnerDeletion, true);

    await api.request('PATCH', `${PODS_PATH}/stray`, { body: { metadata: { labels: { app: 'gone' } } }, contentType: 'application/merge-patch+json' });
    await pollUntil('released', async () => ((await api.request('GET', `${PODS_PATH}/stray`)).body.metadata.ownerReferences === undefined ? true : undefined));
    const after = await podCount('adopt', 2);
    assert.ok(!after.some((p) => p.metadata.name === 'stray'));
  });

  test('scaling down deletes pending before not-ready before ready pods; availability waits minReadySeconds', async () => {
    await api.request('POST', RS_PATH, { body: replicaSet('scale', 3, { minReadySeconds: 30 }) });
    const pods = await podCount('scale', 3);
    const [ready, unready, pending] = pods.map((p) => p.metadata.name as string);
    await setPodStatus(ready!, readySince(clock.now()));
    await setPodStatus(unready!, { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] });
    await pollUntil('ready counted', async () => ((await statusOf(`${RS_PATH}/scale`))?.readyReplicas === 1 ? true : undefined));
    assert.equal((await statusOf(`${RS_PATH}/scale`)).availableReplicas ?? 0, 0);
    await clock.advance(32_000);
    await pollUntil('available', async () => ((await statusOf(`${RS_PATH}/scale`))?.availableReplicas === 1 ? true : undefined));

    await api.request('PATCH', `${RS_PATH}/scale`, { body: { spec: { replicas: 2 } }, contentType: 'application/merge-patch+json' });
    const two = await podCount('scale', 2);
    assert.deepEqual(two.map((p) => p.metadata.name).sort(), [ready, unready].sort());
    assert.ok(pending !== undefined);
    await api.request('PATCH', `${RS_PATH}/scale`, { body: { spec: { replicas: 1 } }, contentType: 'application/merge-patch+json' });
    const one = await podCount('scale', 1);
    assert.equal(one[0].metadata.name, ready);
    const deleted = await pollUntil('SuccessfulDelete events', async () => {
      const events = await eventsAbout('ReplicaSet', 'scale', 'SuccessfulDelete');
      return events.length === 2 ? events : undefined;
    });
    assert.deepEqual(deleted.map((e) => e.message).sort(), [`Deleted pod: ${pending}`, `Deleted pod: ${unready}`].sort());
    const status = await pollUntil('generation 3', async () => {
      const s = await statusOf(`${RS_PATH}/scale`);
      return s?.observedGeneration === 3 && s.replicas === 1 ? s : undefined;
    });
    assert.equal(status.availableReplicas, 1);
  });

  test('failed creations set ReplicaFailure, cleared once pods can be created', async () => {
    const body = replicaSet('failing', 2);
    body.spec.template = template('failing', { serviceAccountName: 'robot' });
    await api.request('POST', RS_PATH, { body });
    const condition = await pollUntil('ReplicaFailure', async () => {
      const conditions = (await statusOf(`${RS_PATH}/failing`))?.conditions as { type: string }[] | undefined;
      return conditions?.find((c) => c.type === 'ReplicaFailure');
    });
    assert.equal((condition as { reason?: string }).reason, 'FailedCreate');
    assert.match((condition as { message?: string }).message ?? '', /robot/);
    const failed = await pollUntil('FailedCreate event', async () => (await eventsAbout('ReplicaSet', 'failing', 'FailedCreate'))[0]);
    assert.equal(failed.type, 'Warning');
    assert.match(failed.message, /^Error creating: .*robot/);
    await api.request('POST', '/api/v1/namespaces/default/serviceaccounts', { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } } });
    // Retries back off on the controller's clock.
    await pollUntil('pods created', async () => {
      await clock.advance(1_000);
      return (await podsOf('failing')).length === 2 ? true : undefined;
    });
    await pollUntil('condition cleared', async () => ((await statusOf(`${RS_PATH}/failing`))?.conditions === undefined ? true : undefined));
  });

  test('a ReplicationController keeps its map-selected pods', async () => {
    const rc = {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy' },
      spec: { replicas: 2, selector: { app: 'legacy' }, template: template('legacy') },
    };
    const created = (await api.request('POST', '/api/v1/namespaces/default/replicationcontrollers', { body: rc })).body;
    const pods = await podCount('legacy', 2);
    for (const pod of pods) assert.deepEqual(pod.metadata.ownerReferences[0], { apiVersion: 'v1', kind: 'ReplicationController', name: 'legacy', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true });
    await pollUntil('rc status', async () => ((await statusOf('/api/v1/namespaces/default/replicationcontrollers/legacy'))?.replicas === 2 ? true : undefined));
  });
});
