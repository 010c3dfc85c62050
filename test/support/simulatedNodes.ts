/**
 * Test support: simulated nodes (src/kubelet/simulated/) joined to a test cluster
 * with its admin kubeconfig. Each gets its own pod /24 out of 198.18.250–255.
 *
 *   const sim = await startSimulatedNodes(cluster, [{ nodeName: 'sim-a' }, { nodeName: 'sim-b', labels: { zone: 'b' } }]);
 *   await sim.node('sim-a').stop();   // a node failure
 *   await sim.resume('sim-a');         // the same node back (a new kubelet)
 *   await sim.stop();                 // in `after`: stops every node, closes the client
 */
import { readKubeconfig } from '../../src/cli/kubeconfig.js';
import { HttpsTransport, RestClient } from '../../src/client/index.js';
import { SimulatedNode, type SimulatedNodeOptions } from '../../src/kubelet/simulated/simulatedNode.js';
import type { TestCluster } from './cluster.js';

/** One node to simulate: everything but the client and pod CIDR, which are provided. */
export type SimulatedNodeSpec = Omit<SimulatedNodeOptions, 'client' | 'podCIDR'>;

/** Running simulated nodes. */
export interface SimulatedNodes {
  readonly nodes: readonly SimulatedNode[];
  /** The node named `name`; throws when there is none. */
  node(name: string): SimulatedNode;
  /** Starts node `name` again (after `stop`) as a fresh simulated kubelet with the same settings. */
  resume(name: string): Promise<SimulatedNode>;
  /** The client the nodes use (the cluster's admin). */
  readonly client: RestClient;
  /** Stops every node (their Node objects stay) and closes the client. */
  stop(): Promise<void>;
}

const FIRST_OCTET = 250;
const MAX_NODES = 6;

/** Registers and starts the nodes of `specs` against `cluster`; resolves once every Node exists. */
export async function startSimulatedNodes(cluster: Pick<TestCluster, 'kubeconfig'>, specs: readonly SimulatedNodeSpec[]): Promise<SimulatedNodes> {
  if (specs.length > MAX_NODES) throw new Error(`at most ${MAX_NODES} simulated nodes per cluster`);
  const credentials = await readKubeconfig(cluster.kubeconfig);
  const transport = new HttpsTransport({
    server: credentials.server,
    caPem: credentials.caPem,
    certPem: credentials.clientCertPem,
    keyPem: credentials.clientKeyPem,
  });
  const client = new RestClient(transport);
  const optionsOf = (i: number): SimulatedNodeOptions => ({ ...specs[i]!, client, podCIDR: `198.18.${FIRST_OCTET + i}.0/24` });
  const nodes = specs.map((_spec, i) => new SimulatedNode(optionsOf(i)));
  const indexOf = (name: string): number => {
    const i = nodes.findIndex((node) => node.name === name);
    if (i < 0) throw new Error(`no simulated node ${name}`);
    return i;
  };
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.stop()));
    transport.close();
  };
  try {
    await Promise.all(nodes.map((node) => node.start()));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    nodes,
    client,
    node: (name) => nodes[indexOf(name)]!,
    async resume(name) {
      const i = indexOf(name);
      await nodes[i]!.stop();
      const fresh = new SimulatedNode(optionsOf(i));
      nodes[i] = fresh;
      await fresh.start();
      return fresh;
    },
    stop,
  };
}
