/**
 * The scale, binding and eviction subresources through HTTP, with upstream codes,
 * reasons and messages.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const PODS = '/api/v1/namespaces/default/pods';
const PDBS = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';

function deployment(name: string, replicas: number): unknown {
  const labels = { app: name };
  return { metadata: { name }, spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } } };
}

describe('subresources', () => {
  let api: InProcessApi;
  before(async () => {
    api = await startInProcessApi();
  });
  after(() => api.stop());

  test('scale: GET shows replicas and selector, PUT and PATCH change spec.replicas', async () => {
    assert.equal((await api.request('POST', DEPLOY, { body: deployment('web', 2) })).status, 201);
    const scale = await api.request('GET', `${DEPLOY}/web/scale`);
    assert.equal(scale.status, 200);
    assert.equal(scale.body.apiVersion, 'autoscaling/v1');
    assert.equal(scale.body.kind, 'Scale');
    assert.deepEqual(scale.body.spec, { replicas: 2 });
    assert.deepEqual(scale.body.status, { replicas: 0, selector: 'app=web' });

    const put = await api.request('PUT', `${DEPLOY}/web/scale`, { body: { ...scale.body, spec: { replicas: 5 } } });
    assert.equal(put.status, 200);
    assert.equal(put.body.spec.replicas, 5);
    assert.equal((await api.request('GET', `${DEPLOY}/web`)).body.spec.replicas, 5);

    const patched = await api.request('PATCH', `${DEPLOY}/web/scale`, { body: { spec: { replicas: 0 } }, contentType: 'application/merge-patch+json' });
    assert.equal(patched.status, 200);
    const stored = (await api.request('GET', `${DEPLOY}/web`)).body;
    assert.equal(stored.spec.replicas, 0);
    assert.ok(stored.metadata.managedFields.some((e: { subresource?: string }) => e.subresource === 'scale'));
  });

  test('scale: negative replicas are Invalid, a stale resourceVersion is a Conflict, other verbs 405', async () => {
    await api.request('POST', DEPLOY, { body: deployment('api', 1) });
    const scale = (await api.request('GET', `${DEPLOY}/api/scale`)).body;
    const negative = await api.request('PUT', `${DEPLOY}/api/scale`, { body: { ...scale, spec: { replicas: -1 } } });
    assert.equal(negative.status, 422);
    assert.match(negative.body.message, /spec\.replicas: Invalid value: -1: must be greater than or equal to 0/);
    await api.request('PATCH', `${DEPLOY}/api`, { body: { metadata: { labels: { touched: 'yes' } } }, contentType: 'application/merge-patch+json' });
    const stale = await api.request('PUT', `${DEPLOY}/api/scale`, { body: { ...scale, spec: { replicas: 3 } } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.reason, 'Conflict');
    assert.equal((await api.request('GET', `${DEPLOY}/api`)).body.spec.replicas, 1);
    assert.equal((await api.request('DELETE', `${DEPLOY}/api/scale`)).status, 405);
    assert.equal((await api.request('GET', '/api/v1/namespaces/default/configmaps/x/scale')).status, 404);
  });

  test('binding assigns a pod to a node once', async () => {
    await api.request('POST', PODS, { body: { metadata: { name: 'b1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'b1', annotations: { why: 'test' } }, target: { kind: 'Node', name: 'node-a' } };
    const res = await api.request('POST', `${PODS}/b1/binding`, { body: binding });
    assert.equal(res.status, 201);
    assert.equal(res.body.status, 'Success');
    const pod = (await api.request('GET', `${PODS}/b1`)).body;
    assert.equal(pod.spec.nodeName, 'node-a');
    assert.equal(pod.metadata.annotations.why, 'test');
    assert.ok(pod.status.conditions.some((c: { type: string; status: string }) => c.type === 'PodScheduled' && c.status === 'True'));

    const again = await api.request('POST', `${PODS}/b1/binding`, { body: { ...binding, target: { kind: 'Node', name: 'node-b' } } });
    assert.equal(again.status, 409);
    assert.equal(again.body.message, 'Operation cannot be fulfilled on pods/binding "b1": pod b1 is already assigned to node "node-a"');

    const mismatch = await api.request('POST', `${PODS}/b1/binding`, { body: { ...binding, metadata: { name: 'other' } } });
    assert.equal(mismatch.status, 400);
    const noTarget = await api.request('POST', `${PODS}/b1/binding`, { body: { ...binding, target: {} } });
    assert.equal(noTarget.status, 422);
    assert.match(noTarget.body.message, /target\.name: Required value/);
  });

  test('eviction deletes pods not protected by a budget, and a budget without disruptions left refuses it', async () => {
    const pod = (name: string) => ({ metadata: { name, labels: { app: 'guarded' } }, spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'busybox' }] } });
    const running = async (name: string) => {
      const created = (await api.request('POST', PODS, { body: pod(name) })).body;
      await api.request('PUT', `${PODS}/${name}/status`, { body: { ...created, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } } });
    };
    const evict = (name: string) => api.request('POST', `${PODS}/${name}/eviction`, { body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name } } });

    await api.request('POST', PODS, { body: { metadata: { name: 'pending' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
    const free = await evict('pending');
    assert.equal(free.status, 201);
    assert.equal((await api.request('GET', `${PODS}/pending`)).status, 404);

    await running('g1');
    await running('g2');
    const pdb = (await api.request('POST', PDBS, { body: { metadata: { name: 'budget' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } } } })).body;
    const unprocessed = await evict('g1');
    assert.equal(unprocessed.status, 429);
    assert.equal(unprocessed.body.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    assert.equal(unprocessed.body.details.causes[0].message, 'The disruption budget budget is still being processed by the server.');

    const status = { observedGeneration: pdb.metadata.generation, disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 };
    await api.request('PUT', `${PDBS}/budget/status`, { body: { ...pdb, status } });
    const allowed = await evict('g1');
    assert.equal(allowed.status, 201);
    const spent = (await api.request('GET', `${PDBS}/budget`)).body.status;
    assert.equal(spent.disruptionsAllowed, 0);
    assert.ok('g1' in spent.disruptedPods);

    const refused = await evict('g2');
    assert.equal(refused.status, 429);
    assert.equal(refused.body.details.causes[0].reason, 'DisruptionBudget');
    assert.equal(refused.body.details.causes[0].message, 'The disruption budget budget needs 1 healthy pods and has 2 currently');
    assert.equal((await api.request('GET', `${PODS}/g2`)).status, 200);
  });
});
