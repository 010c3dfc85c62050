/**
 * The node inside `k8ts server` (what `k8ts agent` will run on other machines): k8ts's
 * own containerd with the pod network config and the local base images, and the
 * kubelet (node status and lease, and the pods bound to this node) acting as
 * `system:node:<name>` against the server's API. Stopping it stops
 * containerd but leaves pods' containers (and their shims) running, as k3s does;
 * `k8ts killall` ends those.
 */
import { join } from 'node:path';
import type { ClusterPki } from '../apiserver/pki/cluster-pki.js';
import { issueServingCertificateFor } from '../apiserver/pki/cluster-pki.js';
import type { Resources } from '../kubelet/node/index.js';
import { Kubelet } from '../kubelet/kubelet.js';
import { firstHostIPv4 } from '../kubelet/node/addresses.js';
import { StreamingServer } from '../kubelet/streaming/streamingServer.js';
import { DEFAULT_EVICTION_HARD, NodeAgent, SettableNodeSignals, parseEvictionHard, watchRuntimeReadiness, type EvictionThreshold } from '../kubelet/node/index.js';
import { startEvictionManager } from '../kubelet/eviction/index.js';
import { realClock } from '../client/index.js';
import { bridgeForPodCidr, writePodNetworkConfig, podIpamDir } from '../network/cni/config.js';
import { containerdPaths } from '../runtime/containerd/paths.js';
import { ContainerdProcess } from '../runtime/containerd/process.js';
import { CriClient } from '../runtime/cri/client.js';
import { PAUSE_IMAGE } from '../runtime/images/baseImages.js';
import { ensureBaseImages } from '../runtime/images/ensureBaseImages.js';
import { LocalRegistry, contentStoreDir } from '../runtime/images/localRegistry.js';
import { componentClient } from './componentClient.js';

/** How the node is set up. */
export interface NodeOptions {
  dataDir: string;
  pki: Pick<ClusterPki, 'ca'>;
  /** The API server's URL. */
  server: string;
  nodeName: string;
  /** This node's pod CIDR (a /24 of 198.18.0.0/16). */
  podCidr: string;
  kubeletPort: number;
  controlPlane: boolean;
  kubeReserved?: Resources;
  systemReserved?: Resources;
  evictionHard?: readonly EvictionThreshold[];
  /** How long a pressure condition stays True after its threshold was last met (default 5 min). */
  evictionPressureTransitionPeriodMs?: number;
  /** The static pod manifest directory, if any. */
  podManifestPath?: string;
  /** The cluster DNS server IPs for ClusterFirst pods (none: they fall back to Default). */
  clusterDNS?: readonly string[];
  /** The cluster's DNS domain (default cluster.local). */
  clusterDomain?: string;
  log(message: string): void;
}

/** A running node. */
export interface RunningNode {
  stop(): Promise<void>;
}

/**
 * The kubelet's API (logs, exec, attach, port-forward) on the kubelet port of every
 * interface, as upstream's; only the API server's client certificate may use it.
 */
async function startStreaming(options: NodeOptions, cri: CriClient, internalIP: string): Promise<StreamingServer> {
  const serving = await issueServingCertificateFor(options.pki, `system:node:${options.nodeName}`, {
    dnsNames: [options.nodeName, 'localhost'],
    ips: [...new Set([internalIP, '127.0.0.1'])],
  });
  const streaming = new StreamingServer({ cri, certPem: serving.certPem, keyPem: serving.keyPem, clientCaPem: options.pki.ca.certPem });
  await streaming.listen(options.kubeletPort, '0.0.0.0');
  return streaming;
}

/**
 * Starts containerd (with the local registry serving the base images as docker.io's
 * first mirror), imports the base images and starts the kubelet.
 */
export async function startNode(options: NodeOptions): Promise<RunningNode> {
  const paths = containerdPaths(options.dataDir);
  await writePodNetworkConfig(paths.cniConfDir, {
    podCidr: options.podCidr,
    bridge: bridgeForPodCidr(options.podCidr),
    ipamDataDir: podIpamDir(options.dataDir),
  });
  const registry = new LocalRegistry(contentStoreDir(paths.root));
  await registry.listen();
  const containerd = new ContainerdProcess({
    dataDir: options.dataDir,
    sandboxImage: PAUSE_IMAGE,
    registryMirrors: { 'docker.io': [registry.url, 'https://registry-1.docker.io'] },
  });
  await containerd.start().catch(async (err: unknown) => {
    await registry.close();
    throw err;
  });
  const cri = new CriClient(containerd.socket);
  const abort = new AbortController();
  let api: Awaited<ReturnType<typeof componentClient>> | undefined;
  try {
    await ensureBaseImages(cri, containerd.socket, containerd.paths.imagesDir, undefined, (name, digest) => registry.serveImage(name, digest));
    api = await componentClient(options.pki, options.server, { user: `system:node:${options.nodeName}`, groups: ['system:nodes'], program: 'kubelet' });
    const internalIP = firstHostIPv4();
    const signals = new SettableNodeSignals();
    const readiness = watchRuntimeReadiness(cri, signals, realClock, abort.signal);
    const agent = new NodeAgent({
      client: api.client,
      nodeName: options.nodeName,
      controlPlane: options.controlPlane,
      podCIDRs: [options.podCidr],
      internalIP,
      kubeletPort: options.kubeletPort,
      dataDir: options.dataDir,
      signals,
      runtimeVersion: async () => {
        const version = await cri.version();
        return `${version.runtimeName}://${version.runtimeVersion}`;
      },
      ...(options.kubeReserved !== undefined ? { kubeReserved: options.kubeReserved } : {}),
      ...(options.systemReserved !== undefined ? { systemReserved: options.systemReserved } : {}),
      ...(options.evictionHard !== undefined ? { evictionHard: options.evictionHard } : {}),
      onError: (err) => options.log(`kubelet: ${err instanceof Error ? err.message : String(err)}`),
    });
    agent.start(abort.signal);
    const kubelet = new Kubelet({
      nodeName: options.nodeName,
      client: api.client,
      cri,
      dataDir: join(options.dataDir, 'kubelet'),
      hostIPs: [internalIP],
      ...(options.podManifestPath !== undefined ? { podManifestPath: options.podManifestPath } : {}),
      ...(options.clusterDNS !== undefined ? { clusterDNS: options.clusterDNS } : {}),
      ...(options.clusterDomain !== undefined ? { clusterDomain: options.clusterDomain } : {}),
      onError: (err, context) => options.log(`kubelet: ${context}: ${err instanceof Error ? err.message : String(err)}`),
    });
    await kubelet.start(abort.signal);
    const eviction = startEvictionManager({
      client: api.client,
      cri,
      kubelet,
      signals,
      nodeName: options.nodeName,
      thresholds: options.evictionHard ?? parseEvictionHard(DEFAULT_EVICTION_HARD),
      nodefsDir: options.dataDir,
      imagefsDir: containerd.paths.root,
      ...(options.evictionPressureTransitionPeriodMs !== undefined ? { pressureTransitionPeriodMs: options.evictionPressureTransitionPeriodMs } : {}),
      onError: (err) => options.log(`kubelet: eviction: ${err instanceof Error ? err.message : String(err)}`),
    }, abort.signal);
    const streaming = await startStreaming(options, cri, internalIP);
    const client = api;
    return {
      async stop() {
        abort.abort();
        await streaming.close();
        await Promise.all([agent.stopped(), readiness, kubelet.stopped(), eviction]);
        client.close();
        cri.close();
        await containerd.stop();
        await registry.close();
      },
    };
  } catch (err) {
    abort.abort();
    api?.close();
    cri.close();
    await containerd.stop();
    await registry.close();
    throw err;
  }
}
