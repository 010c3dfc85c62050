/**
 * LimitRanger admission through the API: Container defaults fill what containers leave
 * out (and are noted in an annotation), min/max/ratio constraints refuse pods with
 * upstream's messages, Pod items limit the pod's totals, PersistentVolumeClaim items
 * its storage request.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';

const NS = '/api/v1/namespaces/limits';

const pod = (name: string, resources?: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox', ...(resources !== undefined ? { resources } : {}) }] },
});

describe('LimitRanger admission', () => {
  let api: InProcessApi;
  before(async () => {
    api = await startInProcessApi();
    await api.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'limits' } } });
    const range = {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'limits' },
      spec: {
        limits: [
          { type: 'Container', max: { cpu: '1' }, min: { memory: '16Mi' }, default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '64Mi' }, maxLimitRequestRatio: { cpu: '10' } },
          { type: 'Pod', max: { memory: '1Gi' } },
          { type: 'PersistentVolumeClaim', max: { storage: '2Gi' }, min: { storage: '1Gi' } },
        ],
      },
    };
    assert.equal((await api.request('POST', `${NS}/limitranges`, { body: range })).status, 201);
  });
  after(() => api.stop());

  test('containers get the default requests and limits they leave out', async () => {
    const res = await api.request('POST', `${NS}/pods`, { body: pod('defaults', { requests: { memory: '32Mi' } }) });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.spec.containers[0].resources, { requests: { cpu: '100m', memory: '32Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    assert.equal(res.body.metadata.annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu request for container c; cpu, memory limit for container c');
    assert.equal(res.body.status.qosClass, 'Burstable');
  });

  test('max, min and ratio violations are refused with upstream messages', async () => {
    const tooBig = await api.request('POST', `${NS}/pods`, { body: pod('big', { limits: { cpu: '2' }, requests: { cpu: '500m' } }) });
    assert.equal(tooBig.status, 403);
    assert.equal(tooBig.body.message, 'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
    const tooSmall = await api.request('POST', `${NS}/pods`, { body: pod('small', { requests: { memory: '8Mi' }, limits: { memory: '8Mi' } }) });
    assert.equal(tooSmall.body.message, 'pods "small" is forbidden: minimum memory usage per Container is 16Mi, but request is 8Mi');
    const ratio = await api.request('POST', `${NS}/pods`, { body: pod('ratio', { requests: { cpu: '10m' }, limits: { cpu: '1' } }) });
    assert.equal(ratio.body.message, 'pods "ratio" is forbidden: cpu max limit to request ratio per Container is 10, but provided ratio is 100.000000');
  });

  test('Pod items limit the sum of the containers', async () => {
    const body = pod('wide', { limits: { memory: '768Mi' } });
    body.spec.containers.push({ name: 'd', image: 'busybox', resources: { limits: { memory: '768Mi' } } } as (typeof body.spec.containers)[0]);
    const res = await api.request('POST', `${NS}/pods`, { body });
    assert.equal(res.status, 403);
    assert.equal(res.body.message, 'pods "wide" is forbidden: maximum memory usage per Pod is 1Gi, but limit is 1536Mi');
  });

  test('PersistentVolumeClaim items bound the requested storage', async () => {
    const claim = (name: string, storage: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
    });
    const big = await api.request('POST', `${NS}/persistentvolumeclaims`, { body: claim('big', '5Gi') });
    assert.equal(big.status, 403);
    assert.equal(big.body.message, 'persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi');
    assert.equal((await api.request('POST', `${NS}/persistentvolumeclaims`, { body: claim('fine', '1Gi') })).status, 201);
  });
});
