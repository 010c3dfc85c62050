/**
 * Where k8ts's own containerd keeps its files under a data dir. Nothing here points at
 * a system containerd (/run/containerd, /var/lib/containerd, /etc/cni/net.d).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** Longest unix socket path the kernel accepts (sun_path is 108 bytes with the NUL). */
const MAX_SOCKET_PATH_BYTES = 107;

/** The files and directories of one k8ts containerd. */
export interface ContainerdPaths {
  /** `<dataDir>/containerd`: config, pid file, log. */
  base: string;
  config: string;
  pidFile: string;
  log: string;
  /** containerd `root` (persistent: content, snapshots, metadata). */
  root: string;
  /** containerd `state` (runtime: task bundles, mounts; removed by killall). */
  state: string;
  /** gRPC socket: `<dataDir>/containerd/containerd.sock`, or /run/k8ts-<hash>/… when that is too long. */
  socket: string;
  /** The CNI configuration directory containerd reads: `<dataDir>/cni/net.d`. */
  cniConfDir: string;
  /** Where the base image archives are built. */
  imagesDir: string;
}

/** The containerd paths for `dataDir` (an absolute path). */
export function containerdPaths(dataDir: string): ContainerdPaths {
  const base = join(dataDir, 'containerd');
  let socket = join(base, 'containerd.sock');
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH_BYTES) {
    const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
    socket = join('/run', `k8ts-${hash}`, 'containerd.sock');
  }
  return {
    base,
    config: join(base, 'config.toml'),
    pidFile: join(base, 'containerd.pid'),
    log: join(base, 'containerd.log'),
    root: join(base, 'root'),
    state: join(base, 'state'),
    socket,
    cniConfDir: join(dataDir, 'cni', 'net.d'),
    imagesDir: join(base, 'images'),
  };
}
