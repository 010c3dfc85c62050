import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container, Pod, Volume } from 'kubernetes-types/core/v1.js';
import { connect } from '../../../test/support/apiClient.js';
import type { ConnectedClient } from '../../../test/support/apiClient.js';
import { generateKeyPairSync } from 'node:crypto';
import { startInProcessApi } from '../../../test/support/inProcessApi.js';
import type { InProcessApi } from '../../../test/support/inProcessApi.js';
import { clientSourceResolver } from './clientSourceResolver.js';
import { VolumeMountConfigError, VolumeMountError } from './errors.js';
import { mountsUnder, unmount } from './tmpfsMounter.js';
import { VolumeManager } from './volumeManager.js';

const NS = 'default';
let uidCounter = 0;

function podWith(volumes: Volume[], extra: Partial<Pod['spec']> = {}, labels: Record<string, string> = {}): Pod {
  uidCounter++;
  return {
    metadata: { name: `pod-${uidCounter}`, namespace: NS, uid: `uid-${uidCounter}`, labels, annotations: { 'note': 'say "hi"' } },
    spec: { containers: [{ name: 'app', image: 'busybox', resources: { limits: { cpu: '250m', memory: '64Mi' } } }], volumes, ...extra },
  };
}

function container(volumeMounts: Container['volumeMounts']): Container {
  return { name: 'app', image: 'busybox', volumeMounts };
}

async function mountFailure(work: Promise<unknown>): Promise<string[]> {
  try {
    await work;
  } catch (err) {
    assert.ok(err instanceof VolumeMountError, String(err));
    return err.failures.map((failure) => failure.eventMessage);
  }
  assert.fail('set-up succeeded');
}

describe('VolumeManager over a real API server', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  let root: string;
  let manager: VolumeManager;

  async function put(resource: string, object: Record<string, unknown>): Promise<void> {
    const name = (object.metadata as { name: string }).name;
    const existing = await api.request('GET', `/api/v1/namespaces/${NS}/${resource}/${name}`);
    const res = existing.status === 200
      ? await api.request('PUT', `/api/v1/namespaces/${NS}/${resource}/${name}`, { body: object })
      : await api.request('POST', `/api/v1/namespaces/${NS}/${resource}`, { body: object });
    assert.ok(res.status < 300, res.text);
  }

  before(async () => {
    api = await startInProcessApi(undefined, { serviceAccountKeyPem: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
    connected = connect(api);
    root = await mkdtemp(join(tmpdir(), 'k8ts-volumes-'));
    manager = new VolumeManager({ podsDir: join(root, 'pods'), resolver: clientSourceResolver(connected.client), node: { allocatable: { cpu: '2', memory: '1Gi' } } });
  });
  after(async () => {
    if (root !== undefined) {
      for (const mount of await mountsUnder(root)) await unmount(mount.path).catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    }
    connected?.close();
    await api?.stop();
  });

  it('projects configMap items with item and default modes, and refresh swaps in updates', async () => {
    await put('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' }, data: { 'game.properties': 'lives=3', ui: 'color=red', extra: 'x' } });
    const pod = podWith([{ name: 'config', configMap: { name: 'app-config', defaultMode: 0o640, items: [{ key: 'game.properties', path: 'conf/game' }, { key: 'ui', path: 'ui.txt', mode: 0o600 }] } }]);
    const volumes = await manager.setUp(pod);
    const [mount] = await volumes.mounts(container([{ name: 'config', mountPath: '/etc/config' }]));
    assert.ok(mount !== undefined);
    assert.equal(mount.hostPath, join(root, 'pods', pod.metadata!.uid!, 'volumes/kubernetes.io~configmap/config'));
    assert.deepEqual({ ...mount, hostPath: '' }, { containerPath: '/etc/config', hostPath: '', readonly: true, selinuxRelabel: false, propagation: 'PROPAGATION_PRIVATE' });
    assert.equal(await readFile(join(mount.hostPath, 'conf/game'), 'utf8'), 'lives=3');
    assert.equal((await stat(join(mount.hostPath, 'conf/game'))).mode & 0o777, 0o640);
    assert.equal((await stat(join(mount.hostPath, 'ui.txt'))).mode & 0o777, 0o600);
    await assert.rejects(lstat(join(mount.hostPath, 'extra')), { code: 'ENOENT' });

    await put('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' }, data: { 'game.properties': 'lives=5' } });
    const optionalPod = { ...pod, spec: { ...pod.spec!, volumes: [{ name: 'config', configMap: { name: 'app-config', items: [{ key: 'game.properties', path: 'game' }, { key: 'ui', path: 'ui.txt' }] } }] } };
    assert.deepEqual(await mountFailure(manager.refresh(optionalPod)), ['MountVolume.SetUp failed for volume "config" : configmap references non-existent config key: ui']);
    await manager.refresh(pod).catch(() => undefined);
    const allKeys = { ...pod, spec: { ...pod.spec!, volumes: [{ name: 'config', configMap: { name: 'app-config' } }] } };
    await manager.refresh(allKeys);
    assert.equal(await readFile(join(mount.hostPath, 'game.properties'), 'utf8'), 'lives=5');
    assert.equal((await stat(join(mount.hostPath, 'game.properties'))).mode & 0o777, 0o644);
    await assert.rejects(lstat(join(mount.hostPath, 'conf')), { code: 'ENOENT' });
    await manager.tearDown(pod.metadata!.uid!);
  });

  it('fails a missing configMap with upstream text unless it is optional', async () => {
    const missing = podWith([{ name: 'cfg', configMap: { name: 'nope' } }, { name: 'sec', secret: { secretName: 'gone' } }]);
    assert.deepEqual(await mountFailure(manager.setUp(missing)), [
      'MountVolume.SetUp failed for volume "cfg" : configmap "nope" not found',
      'MountVolume.SetUp failed for volume "sec" : secret "gone" not found',
    ]);
    const optional = podWith([{ name: 'cfg', configMap: { name: 'nope', optional: true } }]);
    const volumes = await manager.setUp(optional);
    const [mount] = await volumes.mounts(container([{ name: 'cfg', mountPath: '/cfg' }]));
    assert.deepEqual((await readdir(mount!.hostPath)).filter((name) => !name.startsWith('..')), []);
    await manager.tearDown(missing.metadata!.uid!);
    await manager.tearDown(optional.metadata!.uid!);
  });

  it('decodes secrets onto tmpfs with 0644 files, and fsGroup makes them group-owned', async () => {
    await put('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { password: Buffer.from('s3cr3t\n').toString('base64') } });
    const pod = podWith([{ name: 'creds', secret: { secretName: 'creds' } }, { name: 'grouped', secret: { secretName: 'creds', defaultMode: 0o400 } }], { securityContext: { fsGroup: 2345 } });
    const volumes = await manager.setUp(pod);
    const [plain, grouped] = await volumes.mounts(container([{ name: 'creds', mountPath: '/creds' }, { name: 'grouped', mountPath: '/grouped' }]));
    assert.equal(await readFile(join(plain!.hostPath, 'password'), 'utf8'), 's3cr3t\n');
    assert.equal((await stat(join(plain!.hostPath, 'password'))).mode & 0o777, 0o644);
    const file = await stat(join(grouped!.hostPath, 'password'));
    assert.equal(file.mode & 0o777, 0o440);
    assert.equal(file.gid, 2345);
    assert.equal((await mountsUnder(plain!.hostPath)).map((m) => m.fsType).join(), 'tmpfs');
    await manager.tearDown(pod.metadata!.uid!);
    assert.deepEqual(await mountsUnder(join(root, 'pods', pod.metadata!.uid!)), []);
  });

  it('writes downwardAPI labels, annotations, fieldRefs and resourceFieldRefs', async () => {
    const pod = podWith([{
      name: 'info',
      downwardAPI: {
        items: [
          { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
          { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
          { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
          { path: 'tier', fieldRef: { fieldPath: "metadata.labels['tier']" } },
          { path: 'cpu_limit', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu', divisor: '1m' } },
          { path: 'mem_limit', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } },
          { path: 'mem_request', resourceFieldRef: { containerName: 'app', resource: 'requests.memory' } },
        ],
      },
    }], {}, { zone: 'us-east', tier: 'web' });
    const volumes = await manager.setUp(pod);
    const [mount] = await volumes.mounts(container([{ name: 'info', mountPath: '/etc/podinfo' }]));
    const read = (name: string): Promise<string> => readFile(join(mount!.hostPath, name), 'utf8');
    assert.equal(await read('labels'), 'tier="web"\nzone="us-east"');
    assert.equal(await read('annotations'), 'note="say \\"hi\\""');
    assert.equal(await read('name'), pod.metadata!.name);
    assert.equal(await read('tier'), 'web');
    assert.equal(await read('cpu_limit'), '250');
    assert.equal(await read('mem_limit'), '64');
    assert.equal(await read('mem_request'), String(64 * 1024 * 1024));
    await manager.tearDown(pod.metadata!.uid!);
  });

  it('projects the kube-api-access shape: token, ca.crt from kube-root-ca.crt and namespace', async () => {
    await put('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\n' } });
    const pod = podWith([{
      name: 'kube-api-access-abcde',
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    }]);
    await put('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
    const stored = await api.request('POST', `/api/v1/namespaces/${NS}/pods`, { body: { ...pod, metadata: { name: pod.metadata!.name }, spec: { ...pod.spec, serviceAccountName: 'default' } } });
    assert.equal(stored.status, 201, stored.text);
    (pod.metadata as { uid: string }).uid = stored.body.metadata.uid;
    const volumes = await manager.setUp(pod);
    const [mount] = await volumes.mounts(container([{ name: 'kube-api-access-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }]));
    assert.deepEqual((await readdir(mount!.hostPath)).filter((name) => !name.startsWith('..')).sort(), ['ca.crt', 'namespace', 'token']);
    assert.equal(await readFile(join(mount!.hostPath, 'namespace'), 'utf8'), NS);
    assert.equal(await readFile(join(mount!.hostPath, 'ca.crt'), 'utf8'), '-----BEGIN CERTIFICATE-----\n');
    const claims = JSON.parse(Buffer.from((await readFile(join(mount!.hostPath, 'token'), 'utf8')).split('.')[1]!, 'base64url').toString());
    assert.deepEqual(claims['kubernetes.io'].pod, { name: pod.metadata!.name, uid: pod.metadata!.uid }, 'a TokenRequest bound to the pod');
    await manager.tearDown(pod.metadata!.uid!);

    const tokens: string[] = [];
    const base = clientSourceResolver(connected.client);
    const withTokens = new VolumeManager({
      podsDir: join(root, 'pods'),
      resolver: { ...base, createServiceAccountToken: async (request) => { tokens.push(request.serviceAccountName); return `token-${tokens.length}`; } },
    });
    const pod2 = podWith(pod.spec!.volumes!, { serviceAccountName: 'builder' });
    const projected = await withTokens.setUp(pod2);
    await withTokens.refresh(pod2);
    const [tokenMount] = await projected.mounts(container([{ name: 'kube-api-access-abcde', mountPath: '/sa' }]));
    assert.equal(await readFile(join(tokenMount!.hostPath, 'token'), 'utf8'), 'token-1');
    assert.deepEqual(tokens, ['builder'], 'a fresh token is reused by refresh');
    await withTokens.tearDown(pod2.metadata!.uid!);
  });

  it('makes emptyDirs on disk and on tmpfs with the sizeLimit, and tears them down twice safely', async () => {
    const pod = podWith([{ name: 'scratch', emptyDir: {} }, { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }]);
    const uid = pod.metadata!.uid!;
    const volumes = await manager.setUp(pod);
    await manager.setUp(pod);
    const [scratch, cache] = await volumes.mounts(container([{ name: 'scratch', mountPath: '/scratch' }, { name: 'cache', mountPath: '/cache', mountPropagation: 'HostToContainer' }]));
    assert.equal(scratch!.hostPath, join(root, 'pods', uid, 'volumes/kubernetes.io~empty-dir/scratch'));
    assert.equal((await stat(scratch!.hostPath)).mode & 0o777, 0o777);
    assert.equal(cache!.readonly, false);
    assert.equal(cache!.propagation, 'PROPAGATION_HOST_TO_CONTAINER');
    const mounts = await mountsUnder(join(root, 'pods', uid));
    assert.equal(mounts.length, 1, 'setUp twice mounts once');
    assert.equal(mounts[0]!.path, cache!.hostPath);
    assert.equal(mounts[0]!.fsType, 'tmpfs');
    assert.match(mounts[0]!.options, /(^|,)size=1024k(,|$)/);
    await writeFile(join(cache!.hostPath, 'f'), 'x');
    await manager.tearDown(uid);
    await manager.tearDown(uid);
    assert.deepEqual(await mountsUnder(join(root, 'pods', uid)), []);
    await assert.rejects(lstat(join(root, 'pods', uid, 'volumes')), { code: 'ENOENT' });
  });

  it('checks hostPath types with upstream messages', async () => {
    const host = join(root, 'host');
    await mkdir(join(host, 'existing-dir'), { recursive: true });
    await writeFile(join(host, 'existing-file'), '');
    const socketPath = join(host, 'sock');
    const server: Server = createServer();
    await new Promise<void>((ok) => server.listen(socketPath, ok));
    try {
      const good = podWith([
        { name: 'made', hostPath: { path: join(host, 'new/dir'), type: 'DirectoryOrCreate' } },
        { name: 'file', hostPath: { path: join(host, 'new-file'), type: 'FileOrCreate' } },
        { name: 'dir', hostPath: { path: join(host, 'existing-dir'), type: 'Directory' } },
        { name: 'afile', hostPath: { path: join(host, 'existing-file'), type: 'File' } },
        { name: 'sock', hostPath: { path: socketPath, type: 'Socket' } },
        { name: 'any', hostPath: { path: join(host, 'whatever') } },
      ]);
      const volumes = await manager.setUp(good);
      assert.ok((await stat(join(host, 'new/dir'))).isDirectory());
      assert.ok((await stat(join(host, 'new-file'))).isFile());
      const [made] = await volumes.mounts(container([{ name: 'made', mountPath: '/m' }]));
      assert.equal(made!.hostPath, join(host, 'new/dir'));
      const bad = podWith([
        { name: 'missing', hostPath: { path: join(host, 'absent'), type: 'Directory' } },
        { name: 'notfile', hostPath: { path: join(host, 'existing-dir'), type: 'File' } },
        { name: 'notsock', hostPath: { path: join(host, 'existing-file'), type: 'Socket' } },
        { name: 'notdir', hostPath: { path: join(host, 'existing-file'), type: 'DirectoryOrCreate' } },
      ]);
      assert.deepEqual(await mountFailure(manager.setUp(bad)), [
        `MountVolume.SetUp failed for volume "missing" : hostPath type check failed: ${join(host, 'absent')} is not a directory`,
        `MountVolume.SetUp failed for volume "notfile" : hostPath type check failed: ${join(host, 'existing-dir')} is not a file`,
        `MountVolume.SetUp failed for volume "notsock" : hostPath type check failed: ${join(host, 'existing-file')} is not a socket file`,
        `MountVolume.SetUp failed for volume "notdir" : hostPath type check failed: ${join(host, 'existing-file')} is not a directory`,
      ]);
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
  });

  it('validates subPaths, keeps them inside the volume, and pins configMap subPaths to one version', async () => {
    await put('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pinned' }, data: { key: 'v1' } });
    const pod = podWith([{ name: 'work', emptyDir: {} }, { name: 'cfg', configMap: { name: 'pinned' } }]);
    const volumes = await manager.setUp(pod);
    const [sub] = await volumes.mounts(container([{ name: 'work', mountPath: '/data', subPath: 'a/b' }]));
    const workDir = join(root, 'pods', pod.metadata!.uid!, 'volumes/kubernetes.io~empty-dir/work');
    assert.equal(sub!.hostPath, join(workDir, 'a/b'));
    assert.ok((await stat(sub!.hostPath)).isDirectory());
    await assert.rejects(volumes.mounts(container([{ name: 'work', mountPath: '/d', subPath: '../escape' }])),
      new VolumeMountConfigError("unable to provision SubPath `../escape`: must not contain '..'"));
    await assert.rejects(volumes.mounts(container([{ name: 'work', mountPath: '/d', subPath: '/etc' }])),
      new VolumeMountConfigError('error SubPath `/etc` must not be an absolute path'));
    await assert.rejects(volumes.mounts(container([{ name: 'nope', mountPath: '/d' }])),
      new VolumeMountConfigError('cannot find volume "nope" to mount into container "app"'));
    const { symlink } = await import('node:fs/promises');
    await symlink('/etc', join(workDir, 'out'));
    await assert.rejects(volumes.mounts(container([{ name: 'work', mountPath: '/d', subPath: 'out' }])),
      new VolumeMountConfigError(`subpath "/etc" not within volume path "${workDir}"`));

    const [pinned] = await volumes.mounts(container([{ name: 'cfg', mountPath: '/etc/key', subPath: 'key' }]));
    assert.equal(await readFile(pinned!.hostPath, 'utf8'), 'v1');
    await put('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pinned' }, data: { key: 'v2' } });
    await manager.refresh(pod);
    const [whole] = await volumes.mounts(container([{ name: 'cfg', mountPath: '/cfg' }]));
    assert.equal(await readFile(join(whole!.hostPath, 'key'), 'utf8'), 'v2');
    const [again] = await volumes.mounts(container([{ name: 'cfg', mountPath: '/etc/key', subPath: 'key' }]));
    assert.notEqual(again!.hostPath, pinned!.hostPath, 'a subPath names one data version');
    await manager.tearDown(pod.metadata!.uid!);
  });

  it('cleans up the volumes of pods it no longer knows', async () => {
    const kept = podWith([{ name: 'm', emptyDir: { medium: 'Memory' } }]);
    const gone = podWith([{ name: 'm', emptyDir: { medium: 'Memory' } }]);
    await manager.setUp(kept);
    await manager.setUp(gone);
    const cleaned = await manager.cleanupOrphans([kept.metadata!.uid!]);
    assert.ok(cleaned.includes(gone.metadata!.uid!));
    assert.ok(!cleaned.includes(kept.metadata!.uid!));
    await assert.rejects(lstat(join(root, 'pods', gone.metadata!.uid!)), { code: 'ENOENT' });
    assert.equal((await mountsUnder(join(root, 'pods', kept.metadata!.uid!))).length, 1);
    await manager.tearDown(kept.metadata!.uid!);
  });
});
