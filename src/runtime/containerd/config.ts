/**
 * The containerd configuration k8ts runs with: its own root, state and socket, the CRI
 * plugin on runc v2 with our pause image and CNI directories. The shape is fixed, so
 * it is rendered as TOML by hand (strings only need quoting).
 */
import type { ContainerdPaths } from './paths.js';

/** CNI plugin binaries (Debian's containernetworking-plugins). */
export const CNI_BIN_DIR = '/usr/lib/cni';

/** What varies between containerd configs. */
export interface ContainerdConfigOptions {
  paths: ContainerdPaths;
  /** Image reference CRI uses for sandboxes; must be present locally. */
  sandboxImage: string;
  /** Registry host → endpoints containerd tries in order (e.g. a local mirror, then the registry itself). */
  registryMirrors?: Readonly<Record<string, readonly string[]>>;
}

/** A TOML basic string. */
function tomlString(value: string): string {
  return JSON.stringify(value);
}

const CRI = 'plugins."io.containerd.grpc.v1.cri"';

/** The config.toml text (containerd config version 2). */
export function renderContainerdConfig({ paths, sandboxImage, registryMirrors = {} }: ContainerdConfigOptions): string {
  const mirrors = Object.entries(registryMirrors).flatMap(([host, endpoints]) => [
    `[${CRI}.registry.mirrors.${tomlString(host)}]`,
    `  endpoint = [${endpoints.map(tomlString).join(', ')}]`,
    '',
  ]);
  return [
    'version = 2',
    `root = ${tomlString(paths.root)}`,
    `state = ${tomlString(paths.state)}`,
    // Snapshotters that cannot work here only add noise to the log.
    'disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]',
    '',
    '[grpc]',
    `  address = ${tomlString(paths.socket)}`,
    '',
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = ${tomlString(`${paths.root}/opt`)}`,
    '',
    `[${CRI}]`,
    `  sandbox_image = ${tomlString(sandboxImage)}`,
    // Writing a negative oom_score_adj is refused on these hosts, even as root.
    '  restrict_oom_score_adj = true',
    // Sandbox network namespaces live under our state dir, not the host's /run/netns.
    '  netns_mounts_under_state_dir = true',
    // A random port: several containerds (tests, agents) may share a host.
    '  stream_server_address = "127.0.0.1"',
    '  stream_server_port = "0"',
    '',
    `[${CRI}.containerd]`,
    '  default_runtime_name = "runc"',
    '',
    `[${CRI}.containerd.runtimes.runc]`,
    '  runtime_type = "io.containerd.runc.v2"',
    '',
    `[${CRI}.cni]`,
    `  bin_dir = ${tomlString(CNI_BIN_DIR)}`,
    `  conf_dir = ${tomlString(paths.cniConfDir)}`,
    '',
    ...mirrors,
  ].join('\n');
}
