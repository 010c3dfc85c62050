/**
 * e2e: service accounts as a user meets them with the real kubectl against a real
 * k8ts server: every namespace gets a `default` ServiceAccount and the
 * `kube-root-ca.crt` ConfigMap; `kubectl create token` issues a token that is
 * forbidden without RBAC, allowed with a RoleBinding and dead once its account is
 * deleted; a pod gets the kube-api-access volume whose token authenticates as its
 * service account, unless automounting is off.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { kubectlBinaries, startCluster } from '../support/cluster.js';
import { pollUntil } from '../support/poll.js';

const MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

describe('kubectl: service accounts and their tokens', () => {
  let cluster: TestCluster;
  let dir: string;
  let tokenKubeconfig: string;
  let node = '';
  const k = bindKubectl(() => cluster, 'kubectl');
  /** kubectl with `token` as its only credential (no client certificate). */
  const asToken = (bin: string, token: string, args: string[]) =>
    bindKubectl(() => ({ ...cluster, kubeconfig: tokenKubeconfig }), bin).run([`--token=${token}`, ...args]);

  before(async () => {
    cluster = await startCluster();
    dir = await mkdtemp(join(tmpdir(), 'k8ts-sa-e2e-'));
    const admin = JSON.parse(await k.ok(['config', 'view', '--raw', '--minify', '--flatten', '-o', 'json'])) as {
      clusters: { name: string; cluster: Record<string, string> }[];
    };
    const entry = admin.clusters[0]!;
    tokenKubeconfig = join(dir, 'token.kubeconfig');
    await writeFile(
      tokenKubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: entry.cluster.server, 'certificate-authority-data': entry.cluster['certificate-authority-data'] } }],
        users: [{ name: 'u', user: {} }],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'c',
      }),
    );
    node = await pollUntil('the node', async () => (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])) || undefined);
  });
  after(async () => {
    await cluster?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  test('a new namespace gets the default ServiceAccount and kube-root-ca.crt with the cluster CA; both come back when deleted', async () => {
    await k.ok(['create', 'namespace', 'sa-one']);
    await pollUntil('default SA', async () => ((await k.run(['get', 'sa', 'default', '-n', 'sa-one'])).code === 0 ? true : undefined));
    const caOf = async () => k.ok(['get', 'configmap', 'kube-root-ca.crt', '-n', 'sa-one', '-o', 'jsonpath={.data.ca\\.crt}']);
    const ca = await pollUntil('kube-root-ca.crt', async () => (await k.run(['get', 'cm', 'kube-root-ca.crt', '-n', 'sa-one'])).code === 0 ? caOf() : undefined);
    const kubeconfigCa = Buffer.from(
      await k.ok(['config', 'view', '--raw', '--minify', '--flatten', '-o', 'jsonpath={.clusters[0].cluster.certificate-authority-data}']),
      'base64',
    ).toString();
    assert.equal(ca.trim(), kubeconfigCa.trim());

    const uid = await k.ok(['get', 'sa', 'default', '-n', 'sa-one', '-o', 'jsonpath={.metadata.uid}']);
    await k.ok(['delete', 'sa', 'default', '-n', 'sa-one']);
    await pollUntil('default SA recreated', async () => {
      const now = await k.run(['get', 'sa', 'default', '-n', 'sa-one', '-o', 'jsonpath={.metadata.uid}']);
      return now.code === 0 && now.stdout !== uid ? true : undefined;
    });
    await k.ok(['patch', 'configmap', 'kube-root-ca.crt', '-n', 'sa-one', '--type=merge', '-p', '{"data":{"ca.crt":"tampered"}}']);
    await pollUntil('CA restored', async () => ((await caOf()).trim() === kubeconfigCa.trim() ? true : undefined));
    await k.ok(['delete', 'configmap', 'kube-root-ca.crt', '-n', 'sa-one']);
    await pollUntil('CA recreated', async () => ((await k.run(['get', 'cm', 'kube-root-ca.crt', '-n', 'sa-one'])).code === 0 ? true : undefined));
  });

  for (const { version, path } of kubectlBinaries()) {
    test(`kubectl ${version}: create token → 403 without a binding, allowed with a RoleBinding, 401 once the account is gone`, async () => {
      const ns = `tok-${version.replace(/\W/g, '')}`;
      const kv = bindKubectl(() => cluster, path);
      await kv.ok(['create', 'namespace', ns]);
      await pollUntil('default SA', async () => ((await kv.run(['get', 'sa', 'default', '-n', ns])).code === 0 ? true : undefined));
      const token = (await kv.ok(['create', 'token', 'default', '-n', ns])).trim();
      assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { alg: string };
      assert.equal(header.alg, 'RS256');

      const denied = await asToken(path, token, ['get', 'pods', '-n', ns]);
      assert.notEqual(denied.code, 0);
      assert.match(denied.stderr, new RegExp(`pods is forbidden: User "system:serviceaccount:${ns}:default" cannot list resource "pods"`));

      await kv.ok(['create', 'role', 'pod-reader', '-n', ns, '--verb=get,list', '--resource=pods']);
      await kv.ok(['create', 'rolebinding', 'read-pods', '-n', ns, '--role=pod-reader', `--serviceaccount=${ns}:default`]);
      const allowed = await asToken(path, token, ['get', 'pods', '-n', ns]);
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.match(allowed.stderr, /No resources found/);

      const short = await kv.run(['create', 'token', 'default', '-n', ns, '--duration=5m']);
      assert.notEqual(short.code, 0);
      assert.match(short.stderr, /spec\.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes/);

      await kv.ok(['delete', 'sa', 'default', '-n', ns]);
      const gone = await asToken(path, token, ['get', 'pods', '-n', ns]);
      assert.notEqual(gone.code, 0);
      assert.match(gone.stderr, /Unauthorized|You must be logged in/);
    });
  }

  test('the signing key survives a restart: a token issued before still authenticates', async () => {
    await pollUntil('default SA', async () => ((await k.run(['get', 'sa', 'default'])).code === 0 ? true : undefined));
    const token = (await k.ok(['create', 'token', 'default'])).trim();
    const whoami = async () => JSON.parse(await bindKubectl(() => ({ ...cluster, kubeconfig: tokenKubeconfig }), 'kubectl').ok([`--token=${token}`, 'auth', 'whoami', '-o', 'json'])) as { status: { userInfo: { username: string } } };
    assert.equal((await whoami()).status.userInfo.username, 'system:serviceaccount:default:default');
    await cluster.restart();
    await pollUntil('API back', async () => ((await k.run(['get', 'sa', 'default'])).code === 0 ? true : undefined), 60_000);
    assert.equal((await whoami()).status.userInfo.username, 'system:serviceaccount:default:default');
  });

  test('a pod gets token, ca.crt and namespace; its token authenticates as the pod\'s service account', async () => {
    await k.ok(['create', 'namespace', 'sa-pods']);
    await pollUntil('default SA', async () => ((await k.run(['get', 'sa', 'default', '-n', 'sa-pods'])).code === 0 ? true : undefined));
    await pollUntil('kube-root-ca.crt', async () => ((await k.run(['get', 'cm', 'kube-root-ca.crt', '-n', 'sa-pods'])).code === 0 ? true : undefined));
    const pod = (name: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'sa-pods' },
        spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }], ...extra },
      });
    await k.ok(['apply', '-f', '-'], { input: pod('with-token') });
    await k.ok(['apply', '-f', '-'], { input: pod('without-token', { automountServiceAccountToken: false }) });
    const volumes = JSON.parse(await k.ok(['get', 'pod', 'with-token', '-n', 'sa-pods', '-o', 'jsonpath={.spec.volumes}'])) as { name: string }[];
    assert.match(volumes[0]?.name ?? '', /^kube-api-access-[a-z0-9]{5}$/);
    for (const name of ['with-token', 'without-token']) {
      await pollUntil(`${name} running`, async () => ((await k.ok(['get', 'pod', name, '-n', 'sa-pods', '-o', 'jsonpath={.status.phase}'])) === 'Running' ? true : undefined), 90_000);
    }
    const listing = await k.ok(['exec', '-n', 'sa-pods', 'with-token', '--', 'ls', MOUNT]);
    assert.deepEqual(listing.split(/\s+/).filter(Boolean).sort(), ['ca.crt', 'namespace', 'token']);
    assert.equal(await k.ok(['exec', '-n', 'sa-pods', 'with-token', '--', 'cat', `${MOUNT}/namespace`]), 'sa-pods');
    const ca = await k.ok(['exec', '-n', 'sa-pods', 'with-token', '--', 'cat', `${MOUNT}/ca.crt`]);
    assert.match(ca, /BEGIN CERTIFICATE/);
    const token = (await k.ok(['exec', '-n', 'sa-pods', 'with-token', '--', 'cat', `${MOUNT}/token`])).trim();
    const whoami = await asToken('kubectl', token, ['auth', 'whoami', '-o', 'json']);
    assert.equal(whoami.code, 0, whoami.stderr);
    const review = JSON.parse(whoami.stdout) as { status: { userInfo: { username: string; groups: string[]; extra: Record<string, string[]> } } };
    assert.equal(review.status.userInfo.username, 'system:serviceaccount:sa-pods:default');
    assert.deepEqual(review.status.userInfo.groups, ['system:serviceaccounts', 'system:serviceaccounts:sa-pods', 'system:authenticated']);
    assert.deepEqual(review.status.userInfo.extra['authentication.kubernetes.io/pod-name'], ['with-token']);
    assert.deepEqual(review.status.userInfo.extra['authentication.kubernetes.io/node-name'], [node]);

    const none = await k.run(['exec', '-n', 'sa-pods', 'without-token', '--', 'ls', MOUNT]);
    assert.notEqual(none.code, 0);
    assert.equal(await k.ok(['get', 'pod', 'without-token', '-n', 'sa-pods', '-o', 'jsonpath={.spec.volumes}']), '');
    await k.ok(['delete', 'namespace', 'sa-pods', '--wait=false']);
  });
});
