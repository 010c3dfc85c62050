/**
 * The Node object the kubelet registers and the status it reports: upstream's
 * default labels, the attach/detach annotation, capacity and allocatable in upstream
 * formats, nodeInfo, addresses and the kubelet endpoint.
 */
import type { Node, NodeStatus, Taint } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { nodeAddresses } from './addresses.js';
import type { MachineInfo } from './machine.js';
import { allocatable, machineCapacity, resourceListOf, type Reservations } from './resources.js';

/** A Node as the client reads and writes it. */
export type NodeObject = KubeObject & Node;

/** The version the kubelet reports (`kubectl get nodes` VERSION column). */
export const KUBELET_VERSION = 'v1.32.0-k8ts';

/** The labels the kubelet sets on its Node (upstream's default labels it manages). */
export const KUBELET_OWNED_LABELS = [
  'kubernetes.io/hostname',
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
  'node-role.kubernetes.io/control-plane',
] as const;

/** Tells the attach/detach controller it, not the kubelet, attaches volumes. */
export const CONTROLLER_MANAGED_ATTACH_DETACH = 'volumes.kubernetes.io/controller-managed-attach-detach';

/** Who the node is: names, role and networking facts that do not come from the machine. */
export interface NodeIdentity {
  nodeName: string;
  /** The `kubernetes.io/hostname` label and Hostname address (default: nodeName). */
  hostname?: string;
  /** The node runs with the API server: labelled `node-role.kubernetes.io/control-plane`. */
  controlPlane?: boolean;
  /** The InternalIP address (default: the host's first non-loopback IPv4). */
  internalIP?: string;
  /** Pod CIDRs to put in spec (first one also as podCIDR). */
  podCIDRs?: readonly string[];
  /** The port of the kubelet's API (daemonEndpoints). */
  kubeletPort: number;
  /** Labels added to the default ones at registration (upstream `--node-labels`). */
  nodeLabels?: Readonly<Record<string, string>>;
  /** Taints the Node is registered with (upstream `--register-with-taints`). */
  registerWithTaints?: readonly Taint[];
}

/** Everything the status is computed from besides conditions. */
export interface StatusInputs {
  identity: NodeIdentity;
  machine: MachineInfo;
  reservations: Reservations;
  maxPods?: number;
  /** e.g. `containerd://1.6.20`. */
  containerRuntimeVersion: string;
  kubeletVersion?: string;
  /** Deprecated upstream (KEP-4004); empty unless given. */
  kubeProxyVersion?: string;
}

/** The labels the kubelet puts on its node: the defaults, then `nodeLabels`. */
export function defaultNodeLabels(identity: NodeIdentity, machine: MachineInfo): Record<string, string> {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': machine.architecture,
    'beta.kubernetes.io/os': machine.operatingSystem,
    'kubernetes.io/arch': machine.architecture,
    'kubernetes.io/hostname': (identity.hostname ?? identity.nodeName).toLowerCase(),
    'kubernetes.io/os': machine.operatingSystem,
  };
  if (identity.controlPlane === true) labels['node-role.kubernetes.io/control-plane'] = '';
  return { ...labels, ...identity.nodeLabels };
}

/** The status fields the kubelet owns except conditions. */
export function reportedStatus(inputs: StatusInputs): NodeStatus {
  const { identity, machine } = inputs;
  const capacity = machineCapacity(machine, inputs.maxPods);
  return {
    capacity: resourceListOf(capacity),
    allocatable: resourceListOf(allocatable(capacity, inputs.reservations)),
    addresses: nodeAddresses((identity.hostname ?? identity.nodeName).toLowerCase(), identity.internalIP),
    daemonEndpoints: { kubeletEndpoint: { Port: identity.kubeletPort } },
    nodeInfo: {
      machineID: machine.machineID,
      systemUUID: machine.systemUUID,
      bootID: machine.bootID,
      kernelVersion: machine.kernelVersion,
      osImage: machine.osImage,
      containerRuntimeVersion: inputs.containerRuntimeVersion,
      kubeletVersion: inputs.kubeletVersion ?? KUBELET_VERSION,
      kubeProxyVersion: inputs.kubeProxyVersion ?? '',
      operatingSystem: machine.operatingSystem,
      architecture: machine.architecture,
    },
  };
}

/** The Node to register: labels, the attach/detach annotation, pod CIDRs, taints to register with and `status`. */
export function initialNode(identity: NodeIdentity, machine: MachineInfo, status: NodeStatus): NodeObject {
  const node: NodeObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: identity.nodeName,
      labels: defaultNodeLabels(identity, machine),
      annotations: { [CONTROLLER_MANAGED_ATTACH_DETACH]: 'true' },
    },
    spec: {},
    status,
  };
  const cidrs = identity.podCIDRs ?? [];
  if (cidrs.length > 0) node.spec = { podCIDR: cidrs[0], podCIDRs: [...cidrs] };
  const taints = identity.registerWithTaints ?? [];
  if (taints.length > 0) node.spec = { ...node.spec, taints: taints.map((taint) => ({ ...taint })) };
  return node;
}
