/**
 * For tests: a real k8ts containerd in a temp data dir with the base images imported
 * and a CRI client, torn down by `stop()` (killall, bridge removal, temp dir removal)
 * whether the test passed or not.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writePodNetworkConfig } from '../../network/cni/config.js';
import { ContainerdProcess } from '../containerd/process.js';
import { killall, removeAllSandboxes } from '../containerd/killall.js';
import { CriClient } from '../cri/client.js';
import { PAUSE_IMAGE } from '../images/baseImages.js';
import { ensureBaseImages } from '../images/ensureBaseImages.js';
import type { EnsureResult } from '../images/ensureBaseImages.js';

const run = promisify(execFile);

/** A running test containerd. */
export interface TestContainerd {
  dataDir: string;
  containerd: ContainerdProcess;
  cri: CriClient;
  /** What ensureBaseImages did at start. */
  images: EnsureResult;
  /** Ends every sandbox, container, shim and mount, containerd itself, the bridge, and the temp dir. */
  stop(): Promise<void>;
}

/** Pod network of a test containerd: its own bridge and /24 so test files can run side by side. */
export interface TestNetwork {
  bridge: string;
  podCidr: string;
}

/** Starts a containerd in a fresh temp data dir (with a pod network when `network` is given). */
export async function startTestContainerd(network?: TestNetwork): Promise<TestContainerd> {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-ctrd-'));
  const containerd = new ContainerdProcess({ dataDir, sandboxImage: PAUSE_IMAGE });
  let cri: CriClient | undefined;
  const stop = async (): Promise<void> => {
    cri?.close();
    await removeAllSandboxes(containerd.socket).catch(() => undefined);
    await containerd.stop().catch(() => undefined);
    await killall(dataDir);
    if (network !== undefined) await run('ip', ['link', 'delete', network.bridge]).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    if (network !== undefined) {
      await writePodNetworkConfig(containerd.paths.cniConfDir, { podCidr: network.podCidr, bridge: network.bridge, ipamDataDir: join(dataDir, 'cni', 'ipam') });
    }
    await containerd.start();
    cri = new CriClient(containerd.socket);
    const images = await ensureBaseImages(cri, containerd.socket, containerd.paths.imagesDir);
    return { dataDir, containerd, cri, images, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
