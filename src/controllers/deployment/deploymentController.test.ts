/**
 * The Deployment controller with the ReplicaSet controller against a real API server
 * (in process, memory store) on a fake clock; tests make pods Ready themselves. Covers
 * ReplicaSet naming and annotations, rolling updates within maxSurge/maxUnavailable,
 * reuse of an old ReplicaSet on rollback, Recreate, pause/resume, scaling events,
 * history cleanup, the progress deadline, hash collisions, adoption and events.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ConnectedClient } from '../../../test/support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';
import { pollUntil } from '../../../test/support/poll.js';
import { FakeClock } from '../../client/index.js';
import { ControllerManager } from '../manager.js';
import { replicaSetControllerDescriptor } from '../replicaset/replicaSetController.js';
import { deploymentControllerDescriptor } from './deploymentController.js';
import { podTemplateHash } from './templateHash.js';

const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const RS_PATH = '/apis/apps/v1/namespaces/default/replicasets';
const PODS_PATH = '/api/v1/namespaces/default/pods';
const MERGE = 'application/merge-patch+json';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const deployment = (name: string, replicas: number, spec: Record<string, unknown> = {}, image = 'busybox') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
    ...spec,
  },
});

describe('deployment controller', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  let manager: ControllerManager;
  const clock = new FakeClock(Date.now());

  const get = async (path: string): Promise<Json> => (await api.request('GET', path)).body;
  const patch = (path: string, body: unknown) => api.request('PATCH', path, { body, contentType: MERGE });
  const setImage = (name: string, image: string) => patch(`${DEPLOYMENTS}/${name}`, { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } });
  const replicaSetsOf = async (name: string): Promise<Json[]> => {
    const items = (await get(`${RS_PATH}?labelSelector=app%3D${name}`)).items as Json[];
    return items.sort((a, b) => Number(a.metadata.annotations['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations['deployment.kubernetes.io/revision']));
  };
  const livePods = async (name: string): Promise<Json[]> =>
    ((await get(`${PODS_PATH}?labelSelector=app%3D${name}`)).items as Json[]).filter((p) => p.metadata.deletionTimestamp === undefined);
  const readyNow = () => ({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z') }] });
  /** Makes every pod of `name` Ready (optionally only those running `image`); returns how many changed. */
  const markReady = async (name: string, image?: string): Promise<number> => {
    let changed = 0;
    for (const pod of await livePods(name)) {
      if (image !== undefined && pod.spec.containers[0].image !== image) continue;
      if (pod.status?.conditions?.some((c: Json) => c.type === 'Ready' && c.status === 'True')) continue;
      await api.request('PATCH', `${PODS_PATH}/${pod.metadata.name}/status`, { body: { status: readyNow() }, contentType: MERGE });
      changed++;
    }
    return changed;
  };
  const statusWhen = (name: string, what: string, ok: (status: Json, d: Json) => boolean) =>
    pollUntil(what, async () => {
      const d = await get(`${DEPLOYMENTS}/${name}`);
      return d.status !== undefined && ok(d.status, d) ? d : undefined;
    });
  const condition = (status: Json, type: string): Json => (status.conditions as Json[] | undefined)?.find((c) => c.type === type);
  /** Drives a rollout to completion by making new pods Ready as they appear; `observe` sees every intermediate pod list. */
  const completeRollout = async (name: string, observe: (pods: Json[]) => void = () => undefined): Promise<Json> =>
    pollUntil(`${name} rolled out`, async () => {
      observe(await livePods(name));
      await markReady(name);
      const d = await get(`${DEPLOYMENTS}/${name}`);
      const s = d.status ?? {};
      const done = s.observedGeneration === d.metadata.generation && s.updatedReplicas === d.spec.replicas && s.replicas === d.spec.replicas && s.availableReplicas === d.spec.replicas;
      return done && condition(s, 'Progressing')?.reason === 'NewReplicaSetAvailable' ? d : undefined;
    });
  const eventsOf = async (name: string): Promise<string[]> =>
    ((await get(`/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D${name}`)).items as Json[]).map((e) => `${e.reason}: ${e.message}`);

  before(async () => {
    api = await startInProcessApi();
    connected = connect(api);
    manager = new ControllerManager({ client: connected.client, controllers: [replicaSetControllerDescriptor, deploymentControllerDescriptor], clock, log: () => undefined });
    manager.start();
  });
  after(async () => {
    await manager.stop();
    connected.close();
    await api.stop();
  });

  test('a new deployment gets a ReplicaSet named by its template hash, with revision and replica annotations', async () => {
    const created = (await api.request('POST', DEPLOYMENTS, { body: deployment('web', 3) })).body;
    const [rs] = await pollUntil('replica set', async () => ((await replicaSetsOf('web')).length === 1 ? replicaSetsOf('web') : undefined));
    const hash = rs.metadata.labels['pod-template-hash'];
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(rs.metadata.name, `web-${hash}`);
    assert.deepEqual(rs.spec.selector.matchLabels, { app: 'web', 'pod-template-hash': hash });
    assert.equal(rs.spec.template.metadata.labels['pod-template-hash'], hash);
    assert.deepEqual(rs.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(rs.spec.replicas, 3);
    assert.equal(rs.metadata.annotations['deployment.kubernetes.io/revision'], '1');
    assert.equal(rs.metadata.annotations['deployment.kubernetes.io/desired-replicas'], '3');
    assert.equal(rs.metadata.annotations['deployment.kubernetes.io/max-replicas'], '4');
    const d = await completeRollout('web');
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '1');
    assert.equal(d.status.readyReplicas, 3);
    assert.equal(d.status.unavailableReplicas, undefined);
    assert.deepEqual(
      { reason: condition(d.status, 'Available').reason, status: condition(d.status, 'Available').status, message: condition(d.status, 'Available').message },
      { reason: 'MinimumReplicasAvailable', status: 'True', message: 'Deployment has minimum availability.' },
    );
    assert.equal(condition(d.status, 'Progressing').message, `ReplicaSet "${rs.metadata.name}" has successfully progressed.`);
    await pollUntil('scaling event', async () => ((await eventsOf('web')).includes(`ScalingReplicaSet: Scaled up replica set ${rs.metadata.name} from 0 to 3`) ? true : undefined));
  });

  test('a rolling update with maxUnavailable 0 never has fewer than replicas ready pods; rollback reuses the old ReplicaSet', async () => {
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
    await api.request('POST', DEPLOYMENTS, { body: deployment('roll', 3, { strategy }, 'image-a') });
    await completeRollout('roll');
    await patch(`${DEPLOYMENTS}/roll`, { metadata: { annotations: { 'kubernetes.io/change-cause': 'to b' } } });
    await setImage('roll', 'image-b');
    let maxPods = 0;
    const d = await completeRollout('roll', (pods) => {
      const ready = pods.filter((p: Json) => p.status?.conditions?.some((c: Json) => c.type === 'Ready' && c.status === 'True')).length;
      assert.ok(ready >= 3, `only ${ready} ready pods during the rollout`);
      maxPods = Math.max(maxPods, pods.length);
    });
    assert.ok(maxPods <= 4, `${maxPods} pods at once with maxSurge 1`);
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '2');
    const [old, current] = await replicaSetsOf('roll');
    assert.equal(old.spec.replicas, 0);
    assert.equal(current.spec.replicas, 3);
    assert.equal(current.metadata.annotations['kubernetes.io/change-cause'], 'to b');
    assert.equal(current.spec.template.spec.containers[0].image, 'image-b');
    const events = await eventsOf('roll');
    assert.ok(events.includes(`ScalingReplicaSet: Scaled up replica set ${current.metadata.name} from 0 to 1`), events.join('\n'));
    assert.ok(events.includes(`ScalingReplicaSet: Scaled down replica set ${old.metadata.name} from 3 to 2`), events.join('\n'));

    await setImage('roll', 'image-a');
    await completeRollout('roll');
    const sets = await replicaSetsOf('roll');
    assert.equal(sets.length, 2);
    const reused = sets.find((rs) => rs.metadata.name === old.metadata.name);
    assert.equal(reused.metadata.annotations['deployment.kubernetes.io/revision'], '3');
    assert.equal(reused.metadata.annotations['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(reused.spec.replicas, 3);
  });

  test('Recreate scales the old ReplicaSet to zero before the new one gets pods', async () => {
    await api.request('POST', DEPLOYMENTS, { body: deployment('recreate', 2, { strategy: { type: 'Recreate' } }, 'image-a') });
    await completeRollout('recreate');
    await setImage('recreate', 'image-b');
    const observed: string[] = [];
    await completeRollout('recreate', (pods) => {
      const images = new Set(pods.map((p: Json) => p.spec.containers[0].image));
      assert.ok(!(images.has('image-a') && images.has('image-b')), 'old and new pods ran together');
      observed.push([...images].join(','));
    });
    const [old, current] = await replicaSetsOf('recreate');
    assert.equal(old.spec.replicas, 0);
    assert.equal(current.spec.replicas, 2);
    assert.equal(current.metadata.annotations['deployment.kubernetes.io/max-replicas'], '2');
  });

  test('a paused deployment does not roll; resuming does; scaling while paused resizes the current set', async () => {
    await api.request('POST', DEPLOYMENTS, { body: deployment('paused', 2) });
    await completeRollout('paused');
    await patch(`${DEPLOYMENTS}/paused`, { spec: { paused: true } });
    const paused = await statusWhen('paused', 'DeploymentPaused', (s) => condition(s, 'Progressing')?.reason === 'DeploymentPaused');
    assert.equal(condition(paused.status, 'Progressing').status, 'Unknown');
    assert.equal(condition(paused.status, 'Progressing').message, 'Deployment is paused');
    await setImage('paused', 'image-b');
    await patch(`${DEPLOYMENTS}/paused`, { spec: { replicas: 3 } });
    await statusWhen('paused', 'paused deployment observed', (s, d) => s.observedGeneration === d.metadata.generation && s.replicas === 3);
    const sets = await replicaSetsOf('paused');
    assert.equal(sets.length, 1, 'no new ReplicaSet while paused');
    assert.equal(sets[0].spec.replicas, 3);
    await patch(`${DEPLOYMENTS}/paused`, { spec: { paused: false } });
    const d = await completeRollout('paused');
    assert.equal((await replicaSetsOf('paused')).length, 2);
    assert.equal(d.spec.template.spec.containers[0].image, 'image-b');
  });

  test('scaling mid-rollout spreads the new replicas over the ReplicaSets in proportion', async () => {
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } };
    await api.request('POST', DEPLOYMENTS, { body: deployment('prop', 10, { strategy }, 'image-a') });
    await completeRollout('prop');
    await setImage('prop', 'image-stuck');
    // The new pods never become Ready: old 8 (10 - maxUnavailable), new 5 (13 - 8).
    await pollUntil('rollout stuck at 8 + 5', async () => {
      await markReady('prop', 'image-a');
      const [old, current] = await replicaSetsOf('prop');
      return old?.spec.replicas === 8 && current?.spec.replicas === 5 ? true : undefined;
    });
    await patch(`${DEPLOYMENTS}/prop`, { spec: { replicas: 30 } });
    // 20 more replicas (plus surge: 33 - 13 = 20), split 8:5 of 13 → old +12, new +8.
    const sets = await pollUntil('proportional sizes', async () => {
      const [old, current] = await replicaSetsOf('prop');
      return old?.spec.replicas + current?.spec.replicas === 33 ? [old, current] : undefined;
    });
    assert.deepEqual(sets.map((rs) => rs.spec.replicas), [20, 13]);
    for (const rs of sets) {
      assert.equal(rs.metadata.annotations['deployment.kubernetes.io/desired-replicas'], '30');
      assert.equal(rs.metadata.annotations['deployment.kubernetes.io/max-replicas'], '33');
    }
  });

  test('a rollout that makes no progress within progressDeadlineSeconds times out', async () => {
    await api.request('POST', DEPLOYMENTS, { body: deployment('deadline', 1, { progressDeadlineSeconds: 10 }, 'image-a') });
    await completeRollout('deadline');
    await setImage('deadline', 'never-ready');
    const [, current] = await pollUntil('new set', async () => {
      const sets = await replicaSetsOf('deadline');
      return sets.length === 2 ? sets : undefined;
    });
    const progressing = await statusWhen('deadline', 'progressing', (s) => condition(s, 'Progressing')?.reason === 'ReplicaSetUpdated' || condition(s, 'Progressing')?.reason === 'NewReplicaSetCreated');
    assert.equal(condition(progressing.status, 'Progressing').status, 'True');
    await clock.advance(12_000);
    const d = await statusWhen('deadline', 'timed out', (s) => condition(s, 'Progressing')?.reason === 'ProgressDeadlineExceeded');
    assert.equal(condition(d.status, 'Progressing').status, 'False');
    assert.equal(condition(d.status, 'Progressing').message, `ReplicaSet "${current.metadata.name}" has timed out progressing.`);
  });

  test('pods count as available only after minReadySeconds, which the ReplicaSet inherits', async () => {
    await api.request('POST', DEPLOYMENTS, { body: deployment('slow', 2, { minReadySeconds: 20 }) });
    await pollUntil('pods', async () => ((await livePods('slow')).length === 2 ? true : undefined));
    await markReady('slow');
    const ready = await statusWhen('slow', 'ready', (s) => s.readyReplicas === 2);
    assert.equal(ready.status.availableReplicas ?? 0, 0);
    assert.equal(condition(ready.status, 'Available').reason, 'MinimumReplicasUnavailable');
    const [rs] = await replicaSetsOf('slow');
    assert.equal(rs.spec.minReadySeconds, 20);
    await clock.advance(22_000);
    const available = await statusWhen('slow', 'available', (s) => s.availableReplicas === 2);
    assert.equal(condition(available.status, 'Available').reason, 'MinimumReplicasAvailable');
  });

  test('a ReplicaSet name taken by another template raises collisionCount and the next name is used', async () => {
    await api.request('POST', DEPLOYMENTS, { body: deployment('clash', 1, { paused: true }) });
    const stored = await statusWhen('clash', 'paused deployment observed', (s) => s.observedGeneration === 1);
    const taken = `clash-${podTemplateHash(stored.spec.template, undefined)}`;
    const squatter = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: taken, labels: { app: 'other' } },
      spec: { replicas: 0, selector: { matchLabels: { app: 'other' } }, template: { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    };
    assert.equal((await api.request('POST', RS_PATH, { body: squatter })).status, 201);
    await patch(`${DEPLOYMENTS}/clash`, { spec: { paused: false } });
    const d = await completeRollout('clash');
    assert.equal(d.status.collisionCount, 1);
    const [rs] = await replicaSetsOf('clash');
    assert.equal(rs.metadata.name, `clash-${podTemplateHash(stored.spec.template, 1)}`);
    assert.equal((await get(`${RS_PATH}/${taken}`)).metadata.ownerReferences, undefined);
  });

  test('old ReplicaSets beyond revisionHistoryLimit are deleted', async () => {
    await api.request('POST', DEPLOYMENTS, { body: deployment('history', 1, { revisionHistoryLimit: 1 }, 'image-1') });
    await completeRollout('history');
    for (const image of ['image-2', 'image-3', 'image-4']) {
      await setImage('history', image);
      await completeRollout('history');
    }
    const sets = await pollUntil('history trimmed', async () => {
      const all = await replicaSetsOf('history');
      return all.filter((rs) => rs.metadata.deletionTimestamp === undefined).length === 2 ? all : undefined;
    });
    assert.deepEqual(
      sets.map((rs) => rs.spec.template.spec.containers[0].image),
      ['image-3', 'image-4'],
    );
  });

  test('a matching orphan ReplicaSet is adopted; one that stops matching is released', async () => {
    const orphan = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'stray', labels: { app: 'adopter' } },
      spec: { replicas: 0, selector: { matchLabels: { app: 'adopter', extra: 'x' } }, template: { metadata: { labels: { app: 'adopter', extra: 'x' } }, spec: { containers: [{ name: 'c', image: 'other' }] } } },
    };
    assert.equal((await api.request('POST', RS_PATH, { body: orphan })).status, 201);
    const created = (await api.request('POST', DEPLOYMENTS, { body: deployment('adopter', 1) })).body;
    const adopted = await pollUntil('adopted', async () => {
      const rs = await get(`${RS_PATH}/stray`);
      return rs.metadata.ownerReferences !== undefined ? rs : undefined;
    });
    assert.equal(adopted.metadata.ownerReferences[0].uid, created.metadata.uid);
    await completeRollout('adopter');
    await patch(`${RS_PATH}/stray`, { metadata: { labels: { app: 'elsewhere' } } });
    await pollUntil('released', async () => ((await get(`${RS_PATH}/stray`)).metadata.ownerReferences === undefined ? true : undefined));
  });
});
