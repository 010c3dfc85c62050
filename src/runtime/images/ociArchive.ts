/**
 * Writes a single-layer OCI image layout as a tar archive from a root filesystem
 * directory, with Debian's `tar` (sorted names, zero mtimes and owners), so the same
 * inputs always give the same digests.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The runtime settings of an image (the OCI image config's `config`). */
export interface ImageRuntimeConfig {
  Env?: string[];
  Entrypoint?: string[];
  Cmd?: string[];
  WorkingDir?: string;
  User?: string;
}

/** What `writeOciArchive` produced. */
export interface OciArchive {
  /** The archive path. */
  path: string;
  /** Digest of the image config: what CRI reports as the image id. */
  configDigest: string;
  /** Digest of the image manifest. */
  manifestDigest: string;
}

/** The OCI architecture name of this machine. */
export function ociArchitecture(): string {
  const names: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };
  return names[process.arch] ?? process.arch;
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/** Deterministic tar of `dir`'s content (entries `./…`, root-owned, mtime 0) into `out`. */
async function tarDirectory(dir: string, out: string): Promise<void> {
  await run('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--format=gnu', '-C', dir, '-cf', out, '.']);
}

/**
 * Archives `rootfs` as the one layer of an image with `config`, as an OCI image layout
 * tar at `out`. The index names no image: the importer gives it a name.
 */
export async function writeOciArchive(rootfs: string, config: ImageRuntimeConfig, out: string): Promise<OciArchive> {
  const layout = await mkdtemp(join(dirname(out), 'oci-'));
  try {
    const blobs = join(layout, 'blobs', 'sha256');
    await mkdir(blobs, { recursive: true });
    const putBlob = async (bytes: Buffer | string): Promise<{ digest: string; size: number }> => {
      const data = Buffer.from(bytes);
      const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
      await writeFile(join(blobs, digest.slice('sha256:'.length)), data);
      return { digest, size: data.length };
    };

    const layerTemp = join(layout, 'layer.tar');
    await tarDirectory(rootfs, layerTemp);
    const layerDigest = await sha256OfFile(layerTemp);
    const layerSize = (await stat(layerTemp)).size;
    await rename(layerTemp, join(blobs, layerDigest.slice('sha256:'.length)));

    const platform = { architecture: ociArchitecture(), os: 'linux' };
    const imageConfig = await putBlob(JSON.stringify({
      ...platform,
      created: '1970-01-01T00:00:00Z',
      config,
      rootfs: { type: 'layers', diff_ids: [layerDigest] },
    }));
    const manifest = await putBlob(JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...imageConfig },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layerSize }],
    }));
    await writeFile(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    await writeFile(join(layout, 'index.json'), JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, platform }],
    }));
    await tarDirectory(layout, out);
    return { path: out, configDigest: imageConfig.digest, manifestDigest: manifest.digest };
  } finally {
    await rm(layout, { recursive: true, force: true });
  }
}
