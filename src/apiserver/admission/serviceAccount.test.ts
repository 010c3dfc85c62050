import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';

const pods = '/api/v1/namespaces/default/pods';
const busybox = { name: 'c', image: 'busybox' };

describe('ServiceAccount admission on pod create', () => {
  let api: InProcessApi;
  before(async () => {
    api = await startInProcessApi(undefined, { serviceAccountAdmission: true });
  });
  after(() => api.stop());

  const createPod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) =>
    api.request('POST', pods, { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...metadata }, spec } });

  test('without the service account, the pod is refused with upstream\'s message', async () => {
    const res = await createPod({ containers: [busybox] });
    assert.equal(res.status, 403);
    assert.equal(res.body.message, 'pods "p" is forbidden: error looking up service account default/default: serviceaccount "default" not found');
    const named = await createPod({ serviceAccountName: 'builder', containers: [busybox] });
    assert.equal(named.body.message, 'pods "p" is forbidden: error looking up service account default/builder: serviceaccount "builder" not found');
  });

  test('a pod gets the default account and the kube-api-access volume, mounted where no mount is', async () => {
    const sa = await api.request('POST', '/api/v1/namespaces/default/serviceaccounts', { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' }, imagePullSecrets: [{ name: 'pull' }] } });
    assert.equal(sa.status, 201, sa.text);
    const res = await createPod({
      initContainers: [{ name: 'init', image: 'busybox' }],
      containers: [busybox, { name: 'own', image: 'busybox', volumeMounts: [{ name: 'mine', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }],
      volumes: [{ name: 'mine', emptyDir: {} }],
    }, { name: 'mounted' });
    assert.equal(res.status, 201, res.text);
    const spec = res.body.spec;
    assert.equal(spec.serviceAccountName, 'default');
    assert.equal(spec.serviceAccount, 'default', 'the deprecated field mirrors it');
    assert.deepEqual(spec.imagePullSecrets, [{ name: 'pull' }]);
    const volume = spec.volumes[1];
    assert.match(volume.name, /^kube-api-access-[a-z0-9]{5}$/);
    assert.deepEqual(volume.projected, {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    const mount = { name: volume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };
    assert.deepEqual(spec.initContainers[0].volumeMounts, [mount]);
    assert.deepEqual(spec.containers[0].volumeMounts, [mount]);
    assert.deepEqual(spec.containers[1].volumeMounts, [{ name: 'mine', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
  });

  test('automountServiceAccountToken: the pod\'s choice wins over the account\'s', async () => {
    const off = await createPod({ automountServiceAccountToken: false, containers: [busybox] }, { name: 'off' });
    assert.equal(off.status, 201, off.text);
    assert.equal(off.body.spec.volumes, undefined);
    assert.equal(off.body.spec.containers[0].volumeMounts, undefined);
    await api.request('POST', '/api/v1/namespaces/default/serviceaccounts', { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet' }, automountServiceAccountToken: false } });
    const quiet = await createPod({ serviceAccountName: 'quiet', containers: [busybox] }, { name: 'quiet' });
    assert.equal(quiet.body.spec.volumes, undefined);
    const insists = await createPod({ serviceAccountName: 'quiet', automountServiceAccountToken: true, containers: [busybox] }, { name: 'insists' });
    assert.equal(insists.body.spec.volumes.length, 1);
  });

  test('mirror pods keep their spec and may not reference accounts, secrets, configmaps or tokens', async () => {
    const mirror = { 'kubernetes.io/config.mirror': 'hash' };
    const plain = await createPod({ containers: [busybox] }, { name: 'static-n1', annotations: mirror });
    assert.equal(plain.status, 201, plain.text);
    assert.equal(plain.body.spec.serviceAccountName, undefined);
    assert.equal(plain.body.spec.volumes, undefined);
    const refusals: [Record<string, unknown>, string][] = [
      [{ serviceAccountName: 'default', containers: [busybox] }, 'a mirror pod may not reference service accounts'],
      [{ containers: [busybox], volumes: [{ name: 's', secret: { secretName: 's' } }] }, 'a mirror pod may not reference secrets'],
      [{ containers: [{ ...busybox, env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }] }, 'a mirror pod may not reference secrets'],
      [{ containers: [busybox], volumes: [{ name: 'c', configMap: { name: 'c' } }] }, 'a mirror pod may not reference configmaps'],
      [{ containers: [busybox], volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] }, 'a mirror pod may not use ServiceAccountToken volume projections'],
    ];
    for (const [spec, message] of refusals) {
      const res = await createPod(spec, { name: 'static-n2', annotations: mirror });
      assert.equal(res.status, 403);
      assert.equal(res.body.message, `pods "static-n2" is forbidden: ${message}`);
    }
  });
});
