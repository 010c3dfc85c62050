/**
 * The base images k8ts builds without a network: `busybox` from the host's static
 * busybox (one symlink per applet, root and nobody users, /tmp) and a pause image from
 * catatonit (`catatonit -P`), the sandbox image of k8ts's containerd.
 */
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { ImageRuntimeConfig, OciArchive } from './ociArchive.js';
import { writeOciArchive } from './ociArchive.js';

const run = promisify(execFile);

/** The busybox image's name as CRI stores it (`busybox`, `busybox:latest` normalise to it). */
export const BUSYBOX_IMAGE = 'docker.io/library/busybox:latest';
/** The pause image: the `sandbox_image` of k8ts's containerd. */
export const PAUSE_IMAGE = 'k8ts.local/pause:catatonit';

/** Host binaries the base images are made of (Debian busybox-static and catatonit). */
export const HOST_BUSYBOX = '/bin/busybox';
/** See HOST_BUSYBOX. */
export const HOST_CATATONIT = '/usr/bin/catatonit';

const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A base image: its name and how to build its archive. */
export interface BaseImage {
  name: string;
  build(out: string): Promise<OciArchive>;
}

async function withRootfs(populate: (rootfs: string) => Promise<void>, config: ImageRuntimeConfig, out: string): Promise<OciArchive> {
  // Beside the archive (in the data dir), so an interrupted build leaves nothing in /tmp.
  const rootfs = await mkdtemp(join(dirname(out), 'rootfs-'));
  try {
    await chmod(rootfs, 0o755);
    await populate(rootfs);
    return await writeOciArchive(rootfs, config, out);
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
}

async function makeDir(path: string, mode = 0o755): Promise<void> {
  await mkdir(path, { recursive: true });
  await chmod(path, mode);
}

async function populateBusybox(rootfs: string): Promise<void> {
  for (const dir of ['bin', 'sbin', 'usr', 'usr/bin', 'usr/sbin', 'etc', 'root', 'var']) await makeDir(join(rootfs, dir));
  await makeDir(join(rootfs, 'root'), 0o700);
  await makeDir(join(rootfs, 'tmp'), 0o1777);
  await copyFile(HOST_BUSYBOX, join(rootfs, 'bin', 'busybox'));
  await chmod(join(rootfs, 'bin', 'busybox'), 0o755);
  const { stdout } = await run(HOST_BUSYBOX, ['--list-full']);
  const applets = [...new Set(stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '' && line !== 'bin/busybox'))];
  for (const applet of applets) {
    await makeDir(join(rootfs, dirname(applet)));
    await symlink('/bin/busybox', join(rootfs, applet));
  }
  await writeFile(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n', { mode: 0o644 });
  await writeFile(join(rootfs, 'etc', 'group'), 'root:x:0:\nnobody:x:65534:\n', { mode: 0o644 });
}

async function populatePause(rootfs: string): Promise<void> {
  await copyFile(HOST_CATATONIT, join(rootfs, 'catatonit'));
  await chmod(join(rootfs, 'catatonit'), 0o755);
}

/** busybox: `sh` by default, every applet on PATH. */
export const busyboxImage: BaseImage = {
  name: BUSYBOX_IMAGE,
  build: (out) => withRootfs(populateBusybox, { Env: [PATH_ENV], Cmd: ['sh'], WorkingDir: '/' }, out),
};

/** pause: catatonit in pause mode, as a sandbox's init. */
export const pauseImage: BaseImage = {
  name: PAUSE_IMAGE,
  build: (out) => withRootfs(populatePause, { Env: [PATH_ENV], Entrypoint: ['/catatonit', '-P'], WorkingDir: '/' }, out),
};
