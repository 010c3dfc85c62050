import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { killall } from '../containerd/killall.js';
import { ContainerdProcess } from '../containerd/process.js';
import { CriClient } from '../cri/client.js';
import { BUSYBOX_IMAGE, PAUSE_IMAGE } from './baseImages.js';
import { ensureBaseImages } from './ensureBaseImages.js';
import { LocalRegistry, contentStoreDir, repositoryAndTag } from './localRegistry.js';

describe('repositoryAndTag', () => {
  it('drops the registry host and defaults the tag', () => {
    assert.deepEqual(repositoryAndTag('docker.io/library/busybox:latest'), { repository: 'library/busybox', tag: 'latest' });
    assert.deepEqual(repositoryAndTag('registry.local:5000/team/app'), { repository: 'team/app', tag: 'latest' });
  });
});

describe('local registry as the docker.io mirror of k8ts containerd', () => {
  let dataDir: string;
  let registry: LocalRegistry;
  let containerd: ContainerdProcess;
  let cri: CriClient;
  const served = new Map<string, string>();

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'k8ts-registry-'));
    const root = join(dataDir, 'containerd', 'root');
    registry = new LocalRegistry(contentStoreDir(root));
    await registry.listen();
    containerd = new ContainerdProcess({ dataDir, sandboxImage: PAUSE_IMAGE, registryMirrors: { 'docker.io': [registry.url, 'https://registry-1.docker.io'] } });
    assert.equal(containerd.paths.root, root);
    await containerd.start();
    cri = new CriClient(containerd.socket);
    await ensureBaseImages(cri, containerd.socket, containerd.paths.imagesDir, undefined, async (name, digest) => {
      served.set(name, digest);
      await registry.serveImage(name, digest);
    });
  });
  after(async () => {
    cri?.close();
    await containerd?.stop().catch(() => undefined);
    await registry?.close();
    await killall(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers the distribution API: version check, manifests by tag and digest, blobs', async () => {
    const base = await fetch(`${registry.url}/v2/`);
    assert.equal(base.status, 200);
    assert.equal(base.headers.get('docker-distribution-api-version'), 'registry/2.0');

    const digest = served.get(BUSYBOX_IMAGE) ?? '';
    const byTag = await fetch(`${registry.url}/v2/library/busybox/manifests/latest`, { method: 'HEAD' });
    assert.equal(byTag.status, 200);
    assert.equal(byTag.headers.get('content-type'), 'application/vnd.oci.image.manifest.v1+json');
    assert.equal(byTag.headers.get('docker-content-digest'), digest);

    const manifestBytes = Buffer.from(await (await fetch(`${registry.url}/v2/library/busybox/manifests/${digest}`)).arrayBuffer());
    assert.equal(`sha256:${createHash('sha256').update(manifestBytes).digest('hex')}`, digest);
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { config: { digest: string }; layers: { digest: string; size: number }[] };
    const layer = manifest.layers[0];
    assert.ok(layer);
    const blob = await fetch(`${registry.url}/v2/library/busybox/blobs/${layer.digest}`);
    assert.equal(blob.status, 200);
    assert.equal((await blob.arrayBuffer()).byteLength, layer.size);
  });

  it('answers unknown names, tags and blobs with 404 and the registry error JSON', async () => {
    const cases: [string, string][] = [
      ['/v2/library/nginx/manifests/latest', 'MANIFEST_UNKNOWN'],
      ['/v2/library/busybox/manifests/1.36', 'MANIFEST_UNKNOWN'],
      [`/v2/library/busybox/blobs/sha256:${'0'.repeat(64)}`, 'BLOB_UNKNOWN'],
    ];
    for (const [path, code] of cases) {
      const response = await fetch(`${registry.url}${path}`);
      assert.equal(response.status, 404, path);
      const body = await response.json() as { errors: { code: string }[] };
      assert.equal(body.errors[0]?.code, code, path);
    }
    assert.equal((await fetch(`${registry.url}/v2/library/busybox/manifests/latest`, { method: 'PUT' })).status, 405);
  });

  it('lets containerd pull busybox offline (policy Always) to the very image that was imported', async () => {
    const imported = await cri.imageStatus(BUSYBOX_IMAGE);
    assert.ok(imported);
    const ref = await cri.pullImage('busybox');
    assert.equal(ref, imported.id);
    const pulled = await cri.imageStatus('busybox');
    assert.equal(pulled?.id, imported.id);
    assert.ok(pulled?.repoDigests.includes(`docker.io/library/busybox@${served.get(BUSYBOX_IMAGE) ?? ''}`), JSON.stringify(pulled?.repoDigests));
  });
});
