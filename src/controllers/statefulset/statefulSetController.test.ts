/**
 * The StatefulSet controller against a real API server (in process, memory store), on a
 * fake clock; the tests play the kubelet by setting pod status. Ordered creation and
 * reverse-ordered deletion, identity and claims, revisions and rolling updates with a
 * partition, OnDelete, Parallel sets and the claim retention policy.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ConnectedClient } from '../../../test/support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';
import { pollUntil } from '../../../test/support/poll.js';
import { FakeClock } from '../../client/index.js';
import { ControllerManager } from '../manager.js';
import { statefulSetControllerDescriptor } from './statefulSetController.js';

const NS = '/api/v1/namespaces/default';
const STS_PATH = '/apis/apps/v1/namespaces/default/statefulsets';
const MERGE = 'application/merge-patch+json';
const HOLD = 'test.k8ts.io/hold';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const statefulSet = (name: string, replicas: number, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name },
  spec: {
    replicas,
    serviceName: `${name}-svc`,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name }, finalizers: [HOLD] }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } },
    ...spec,
  },
});

const claimTemplate = { metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };

describe('statefulset controller', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  let manager: ControllerManager;
  const clock = new FakeClock(Date.now());

  const get = async (path: string): Promise<Json> => (await api.request('GET', path)).body;
  const patch = (path: string, body: unknown) => api.request('PATCH', path, { body, contentType: MERGE });
  const podNames = async (app: string): Promise<string[]> =>
    ((await get(`${NS}/pods?labelSelector=app%3D${app}`)).items as Json[]).map((p) => p.metadata.name as string).sort();
  const livePodNames = async (app: string): Promise<string[]> =>
    ((await get(`${NS}/pods?labelSelector=app%3D${app}`)).items as Json[]).filter((p) => p.metadata.deletionTimestamp === undefined).map((p) => p.metadata.name as string).sort();
  const podsAre = (app: string, names: string[], list = podNames) =>
    pollUntil(`pods ${names.join(',')}`, async () => (JSON.stringify(await list(app)) === JSON.stringify(names) ? true : undefined));
  const makeReady = async (name: string): Promise<Json> => {
    const pod = await pollUntil(`pod ${name}`, async () => {
      const res = await api.request('GET', `${NS}/pods/${name}`);
      return res.status === 200 && res.body.metadata.deletionTimestamp === undefined ? res.body : undefined;
    });
    const since = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    await api.request('PATCH', `${NS}/pods/${name}/status`, { body: { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] } }, contentType: MERGE });
    return pod;
  };
  /** Lets a held pod go (removes the test finalizer); the API then deletes it. */
  const release = (name: string) => patch(`${NS}/pods/${name}`, { metadata: { finalizers: null } });
  const statusOf = async (name: string): Promise<Json> => (await get(`${STS_PATH}/${name}`)).status;
  const statusWhere = (name: string, what: string, check: (s: Json) => boolean) =>
    pollUntil(what, async () => {
      const s = await statusOf(name);
      return s !== undefined && check(s) ? s : undefined;
    });

  before(async () => {
    api = await startInProcessApi();
    connected = connect(api);
    manager = new ControllerManager({ client: connected.client, controllers: [statefulSetControllerDescriptor], clock, log: () => undefined });
    manager.start();
  });
  after(async () => {
    await manager.stop();
    connected.close();
    await api.stop();
  });

  test('OrderedReady creates pods one by one with stable identity and claims, and deletes them highest first', async () => {
    const created = (await api.request('POST', STS_PATH, { body: statefulSet('web', 3, { volumeClaimTemplates: [claimTemplate] }) })).body;
    await podsAre('web', ['web-0']);
    const claim = await get(`${NS}/persistentvolumeclaims/www-web-0`);
    assert.equal(claim.status.phase, 'Pending');
    assert.deepEqual(claim.metadata.labels, { app: 'web' });
    const web0 = await makeReady('web-0');
    const status = await statusWhere('web', 'status after web-0', (s) => s.replicas >= 1);
    assert.equal(web0.spec.hostname, 'web-0');
    assert.equal(web0.spec.subdomain, 'web-svc');
    assert.deepEqual(web0.spec.volumes[0], { name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } });
    assert.equal(web0.metadata.labels['statefulset.kubernetes.io/pod-name'], 'web-0');
    assert.equal(web0.metadata.labels['apps.kubernetes.io/pod-index'], '0');
    assert.equal(web0.metadata.labels['controller-revision-hash'], status.updateRevision);
    assert.match(status.updateRevision, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.deepEqual(web0.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);

    await podsAre('web', ['web-0', 'web-1']);
    await makeReady('web-1');
    await podsAre('web', ['web-0', 'web-1', 'web-2']);
    await makeReady('web-2');
    const full = await statusWhere('web', 'all ready', (s) => s.readyReplicas === 3);
    assert.equal(full.replicas, 3);
    assert.equal(full.availableReplicas, 3);
    assert.equal(full.currentReplicas, 3);
    assert.equal(full.updatedReplicas, 3);
    assert.equal(full.currentRevision, full.updateRevision);
    assert.equal(full.observedGeneration, 1);
    for (const name of ['www-web-1', 'www-web-2']) assert.equal((await api.request('GET', `${NS}/persistentvolumeclaims/${name}`)).status, 200);
    const revisions = (await get('/apis/apps/v1/namespaces/default/controllerrevisions')).items as Json[];
    const revision = revisions.find((r) => r.metadata.name === full.updateRevision);
    assert.equal(revision.revision, 1);
    assert.equal(revision.metadata.labels['controller-revision-hash'], full.updateRevision.slice('web-'.length));
    assert.equal(revision.data.spec.template.$patch, 'replace');

    const events = (await get(`${NS}/events`)).items as Json[];
    assert.ok(events.some((e) => e.reason === 'SuccessfulCreate' && e.message === 'create Pod web-0 in StatefulSet web successful' && e.involvedObject.name === 'web'));
    assert.ok(events.some((e) => e.reason === 'SuccessfulCreate' && e.message === 'create Claim www-web-0 Pod web-0 in StatefulSet web success'));

    await patch(`${STS_PATH}/web`, { spec: { replicas: 0 } });
    await podsAre('web', ['web-0', 'web-1'], livePodNames);
    await release('web-2');
    await podsAre('web', ['web-0'], livePodNames);
    await release('web-1');
    await podsAre('web', [], livePodNames);
    await release('web-0');
    await podsAre('web', []);
    const deleted = ((await get(`${NS}/events`)).items as Json[]).filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message as string);
    assert.ok(deleted.includes('delete Pod web-2 in StatefulSet web successful'));
    assert.equal((await api.request('GET', `${NS}/persistentvolumeclaims/www-web-2`)).status, 200, 'Retain keeps the claims');
  });

  test('a rolling update replaces pods from the highest ordinal down to the partition', async () => {
    await api.request('POST', STS_PATH, { body: statefulSet('roll', 3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } }, revisionHistoryLimit: 0 }) });
    for (const name of ['roll-0', 'roll-1', 'roll-2']) await makeReady(name);
    const before = await statusWhere('roll', 'roll ready', (s) => s.readyReplicas === 3);
    await patch(`${STS_PATH}/roll`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:2' }] } } } });
    const rolling = await statusWhere('roll', 'new update revision', (s) => s.updateRevision !== before.updateRevision);
    assert.equal(rolling.currentRevision, before.currentRevision);
    await podsAre('roll', ['roll-0', 'roll-1'], livePodNames);
    await release('roll-2');
    const updated = await makeReady('roll-2');
    assert.equal(updated.spec.containers[0].image, 'busybox:2');
    assert.equal(updated.metadata.labels['controller-revision-hash'], rolling.updateRevision);
    const partitioned = await statusWhere('roll', 'one updated', (s) => s.updatedReplicas === 1 && s.readyReplicas === 3);
    assert.equal(partitioned.currentReplicas, 2);
    assert.equal((await get(`${NS}/pods/roll-1`)).spec.containers[0].image, 'busybox:1');

    await patch(`${STS_PATH}/roll`, { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    await podsAre('roll', ['roll-0', 'roll-2'], livePodNames);
    await release('roll-1');
    await makeReady('roll-1');
    await podsAre('roll', ['roll-1', 'roll-2'], livePodNames);
    await release('roll-0');
    await makeReady('roll-0');
    const done = await statusWhere('roll', 'rolled', (s) => s.updatedReplicas === 3 && s.readyReplicas === 3 && s.currentRevision === s.updateRevision);
    assert.equal(done.currentReplicas, 3);
    assert.equal(done.currentRevision, rolling.updateRevision);
    await pollUntil('old revision pruned', async () => {
      const revisions = ((await get('/apis/apps/v1/namespaces/default/controllerrevisions')).items as Json[]).filter((r) => r.metadata.name.startsWith('roll-'));
      return revisions.length === 1 && revisions[0].metadata.name === done.updateRevision && revisions[0].revision === 2 ? true : undefined;
    });
  });

  test('maxUnavailable lets a rolling update replace several pods at once', async () => {
    await api.request('POST', STS_PATH, { body: statefulSet('wide', 3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 2 } } }) });
    for (const name of ['wide-0', 'wide-1', 'wide-2']) await makeReady(name);
    await statusWhere('wide', 'wide ready', (s) => s.readyReplicas === 3);
    await patch(`${STS_PATH}/wide`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:2' }] } } } });
    await podsAre('wide', ['wide-0'], livePodNames);
    await release('wide-1');
    await release('wide-2');
    await makeReady('wide-1');
    await makeReady('wide-2');
    await podsAre('wide', ['wide-1', 'wide-2'], livePodNames);
    await release('wide-0');
    await makeReady('wide-0');
    await statusWhere('wide', 'wide rolled', (s) => s.updatedReplicas === 3 && s.readyReplicas === 3);
  });

  test('ordinals start where spec.ordinals.start says; OrderedReady waits minReadySeconds for availability', async () => {
    await api.request('POST', STS_PATH, { body: statefulSet('late', 2, { ordinals: { start: 5 }, minReadySeconds: 30 }) });
    await podsAre('late', ['late-5']);
    await makeReady('late-5');
    const waiting = await statusWhere('late', 'ready, not available', (s) => s.readyReplicas === 1);
    assert.equal(waiting.availableReplicas, 0);
    assert.deepEqual(await podNames('late'), ['late-5'], 'the next pod waits for late-5 to be available');
    await clock.advance(31_000);
    await podsAre('late', ['late-5', 'late-6']);
    assert.equal((await get(`${NS}/pods/late-6`)).metadata.labels['apps.kubernetes.io/pod-index'], '6');
    await statusWhere('late', 'late-5 available', (s) => s.availableReplicas === 1);
  });

  test('OnDelete replaces a pod only once it is deleted', async () => {
    await api.request('POST', STS_PATH, { body: statefulSet('manual', 1, { updateStrategy: { type: 'OnDelete' } }) });
    const first = await makeReady('manual-0');
    await statusWhere('manual', 'manual ready', (s) => s.readyReplicas === 1);
    await patch(`${STS_PATH}/manual`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:2' }] } } } });
    const status = await statusWhere('manual', 'update revision', (s) => s.observedGeneration === 2);
    assert.notEqual(status.updateRevision, first.metadata.labels['controller-revision-hash']);
    assert.equal((await get(`${NS}/pods/manual-0`)).metadata.deletionTimestamp, undefined, 'OnDelete leaves the pod');
    await api.request('DELETE', `${NS}/pods/manual-0`);
    await release('manual-0');
    const replacement = await pollUntil('replacement', async () => {
      const res = await api.request('GET', `${NS}/pods/manual-0`);
      return res.status === 200 && res.body.metadata.uid !== first.metadata.uid ? res.body : undefined;
    });
    assert.equal(replacement.spec.containers[0].image, 'busybox:2');
    await makeReady('manual-0');
    const after = await statusWhere('manual', 'replacement counted', (s) => s.updatedReplicas === 1 && s.readyReplicas === 1);
    // As upstream, OnDelete never completes a rolling update: the current revision stays.
    assert.equal(after.currentRevision, first.metadata.labels['controller-revision-hash']);
  });

  test('Parallel creates and deletes at once; the retention policy puts owners on the claims', async () => {
    const body = statefulSet('par', 3, {
      podManagementPolicy: 'Parallel',
      volumeClaimTemplates: [claimTemplate],
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
    });
    body.spec.template.metadata.finalizers = [];
    const set = (await api.request('POST', STS_PATH, { body })).body;
    await podsAre('par', ['par-0', 'par-1', 'par-2']);
    const pod2 = await get(`${NS}/pods/par-2`);
    const owners = await pollUntil('set owns claims', async () => {
      const refs = (await get(`${NS}/persistentvolumeclaims/www-par-0`)).metadata.ownerReferences as Json[] | undefined;
      return refs?.length === 1 ? refs : undefined;
    });
    assert.deepEqual(owners, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'par', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    await patch(`${STS_PATH}/par`, { spec: { replicas: 1 } });
    await podsAre('par', ['par-0']);
    const scaledClaim = (await get(`${NS}/persistentvolumeclaims/www-par-2`)).metadata.ownerReferences as Json[];
    assert.deepEqual(scaledClaim, [{ apiVersion: 'v1', kind: 'Pod', name: 'par-2', uid: pod2.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  });
});
