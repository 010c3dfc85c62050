/**
 * The pod network's CNI configuration: a bridge `k8ts0` on the node's pod CIDR with
 * host-local IPAM, the bridge as gateway, outbound NAT, host ports (portmap) and
 * loopback. Only 198.18.0.0/16 (the k8ts pod range) is accepted.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The CNI network name (also the conflist file name). */
export const POD_NETWORK_NAME = 'k8ts';
/** The bridge interface on the host. */
export const POD_BRIDGE = 'k8ts0';
/** The default node pod CIDR. */
export const DEFAULT_NODE_POD_CIDR = '198.18.0.0/24';

const CNI_VERSION = '0.4.0';

/** Parses an IPv4 CIDR inside 198.18.0.0/16 with a prefix of /16…/30; throws otherwise. */
export function parsePodCidr(cidr: string): { network: string; prefix: number; gateway: string } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (match === null) throw new Error(`pod CIDR ${JSON.stringify(cidr)} is not an IPv4 CIDR`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255)) throw new Error(`pod CIDR ${cidr} has an octet over 255`);
  if (octets[0] !== 198 || octets[1] !== 18 || prefix < 16 || prefix > 30) {
    throw new Error(`pod CIDR ${cidr} must lie within 198.18.0.0/16 (prefix /16 to /30)`);
  }
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const network = address - (address % size);
  const toDotted = (n: number): string => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
  return { network: toDotted(network), prefix, gateway: toDotted(network + 1) };
}

/**
 * The bridge of a node's pod CIDR: `k8ts<third octet>` (`k8ts0` for the default
 * 198.18.0.0/24), so nodes of different CIDRs on one host never share a bridge.
 */
export function bridgeForPodCidr(cidr: string): string {
  const { network } = parsePodCidr(cidr);
  return `k8ts${network.split('.')[2] ?? '0'}`;
}

/** The bridge named by the pod network conflist in `confDir`, if one was written. */
export async function podBridgeOf(confDir: string): Promise<string | undefined> {
  try {
    const conflist = JSON.parse(await readFile(join(confDir, `10-${POD_NETWORK_NAME}.conflist`), 'utf8')) as { plugins?: { type?: string; bridge?: string }[] };
    return conflist.plugins?.find((plugin) => plugin.type === 'bridge')?.bridge;
  } catch {
    return undefined;
  }
}

/** Where host-local keeps the pod network's IP allocations for the node of `dataDir`. */
export function podIpamDir(dataDir: string): string {
  return join(dataDir, 'cni', 'ipam');
}

/** What varies between pod network configs. */
export interface PodNetworkOptions {
  /** The node's pod CIDR (default 198.18.0.0/24). */
  podCidr?: string;
  /** Where host-local keeps its IP allocations (k8ts uses `<dataDir>/cni/ipam`). */
  ipamDataDir: string;
  /** Bridge interface name (default k8ts0). */
  bridge?: string;
  /** CNI network name (default k8ts). */
  name?: string;
}

/** The conflist JSON of the pod network. */
export function podNetworkConflist(options: PodNetworkOptions): object {
  const { network, prefix, gateway } = parsePodCidr(options.podCidr ?? DEFAULT_NODE_POD_CIDR);
  return {
    cniVersion: CNI_VERSION,
    name: options.name ?? POD_NETWORK_NAME,
    plugins: [
      {
        type: 'bridge',
        bridge: options.bridge ?? POD_BRIDGE,
        isGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          dataDir: options.ipamDataDir,
          ranges: [[{ subnet: `${network}/${prefix}`, gateway }]],
          routes: [{ dst: '0.0.0.0/0' }],
        },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
}

/**
 * Writes the pod network conflist into `confDir` (k8ts's own, never /etc/cni/net.d),
 * atomically; resolves to its path. Loopback is not listed: containerd's CRI brings
 * `lo` up in every sandbox with the `loopback` plugin of its CNI bin_dir.
 */
export async function writePodNetworkConfig(confDir: string, options: PodNetworkOptions): Promise<string> {
  await mkdir(confDir, { recursive: true, mode: 0o700 });
  const path = join(confDir, `10-${POD_NETWORK_NAME}.conflist`);
  await writeFile(`${path}.tmp`, `${JSON.stringify(podNetworkConflist(options), null, 2)}\n`, { mode: 0o600 });
  await rename(`${path}.tmp`, path);
  return path;
}
