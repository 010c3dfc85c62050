/**
 * Printers for core/v1 resources other than pods and events: Services, Endpoints,
 * Nodes, Namespaces, ConfigMaps, Secrets, ServiceAccounts and ResourceQuotas.
 */
import type {
  ConfigMap,
  Endpoints,
  Namespace,
  Node,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from 'kubernetes-types/core/v1.js';
import { formatLabels } from '../../api/selectors/labelSelector.js';
import { AGE_COLUMN, NAME_COLUMN, column, orPlaceholder, wideColumn } from './columns.js';
import { ageSince } from './humanDuration.js';
import { formatQuantity } from './quantities.js';
import type { Printer } from './tableTypes.js';

/** Load-balancer ingress points: IPs (or hostnames), sorted and de-duplicated, joined with `,`. */
function loadBalancerAddresses(service: Service): string {
  const points = (service.status?.loadBalancer?.ingress ?? [])
    .map((i) => (i.ip !== undefined && i.ip !== '' ? i.ip : (i.hostname ?? '')))
    .filter((p) => p !== '');
  return [...new Set(points)].sort().join(',');
}

/** EXTERNAL-IP of a service by type (upstream `getServiceExternalIP`, server-side wide form). */
function externalIP(service: Service, type: string): string {
  const external = service.spec?.externalIPs ?? [];
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(service);
      if (external.length > 0) return [...(lb === '' ? [] : lb.split(',')), ...external].join(',');
      return lb === '' ? '<pending>' : lb;
    }
    case 'ExternalName':
      return service.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** PORT(S): `port/proto` or `port:nodePort/proto`, joined with `,`; `<none>` without ports. */
function servicePorts(service: Service): string {
  const ports = (service.spec?.ports ?? []).map((p) => {
    const protocol = p.protocol ?? 'TCP';
    return p.nodePort !== undefined && p.nodePort > 0
      ? `${p.port}:${p.nodePort}/${protocol}`
      : `${p.port}/${protocol}`;
  });
  return ports.length === 0 ? '<none>' : ports.join(',');
}

/** Services: TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE; wide SELECTOR. */
export const servicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    column('Cluster-IP', 'string', 'The virtual IP address of the service inside the cluster.'),
    column('External-IP', 'string', 'Addresses outside the cluster at which the service is reachable.'),
    column('Port(s)', 'string', 'The ports the service exposes.'),
    AGE_COLUMN,
    wideColumn('Selector', 'Label query over the pods that back the service.'),
  ],
  cells(obj, now) {
    const svc = obj as Service;
    const type = svc.spec?.type ?? 'ClusterIP';
    const clusterIP = svc.spec?.clusterIPs?.[0] ?? svc.spec?.clusterIP;
    return [
      svc.metadata?.name ?? '',
      type,
      orPlaceholder(clusterIP, '<none>'),
      externalIP(svc, type),
      servicePorts(svc),
      ageSince(svc.metadata?.creationTimestamp, now),
      formatLabels(svc.spec?.selector),
    ];
  },
};

/** ENDPOINTS: up to three `ip:port` (or bare IPs without ports), then ` + N more...`; `<none>` when empty. */
function formatEndpoints(endpoints: Endpoints): string {
  const subsets = endpoints.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const shown: string[] = [];
  let count = 0;
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    const ports = subset.ports ?? [];
    const pairs =
      ports.length === 0
        ? addresses.map((a) => a.ip)
        : ports.flatMap((p) => addresses.map((a) => (a.ip.includes(':') ? `[${a.ip}]:${p.port}` : `${a.ip}:${p.port}`)));
    count += pairs.length;
    for (const pair of pairs) if (shown.length < max) shown.push(pair);
  }
  const text = shown.join(',');
  return count > max ? `${text} + ${count - max} more...` : text;
}

/** Endpoints: ENDPOINTS AGE. */
export const endpointsPrinter: Printer = {
  columns: [NAME_COLUMN, column('Endpoints', 'string', 'The ready addresses and ports of the service.'), AGE_COLUMN],
  cells(obj, now) {
    const ep = obj as Endpoints;
    return [ep.metadata?.name ?? '', formatEndpoints(ep), ageSince(ep.metadata?.creationTimestamp, now)];
  },
};

const ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

/** ROLES: from `node-role.kubernetes.io/<role>` keys and the `kubernetes.io/role` value, sorted; `<none>`. */
function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith(ROLE_LABEL_PREFIX)) {
      const role = key.slice(ROLE_LABEL_PREFIX.length);
      if (role !== '') roles.add(role);
    } else if (key === ROLE_LABEL && value !== '') {
      roles.add(value);
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

/** STATUS: `Ready`/`NotReady` (or `Unknown` without a Ready condition), plus `SchedulingDisabled` when cordoned. */
function nodeStatus(node: Node): string {
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').at(-1);
  const parts = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (node.spec?.unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

const nodeAddress = (node: Node, type: string): string =>
  (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';

/** Nodes: STATUS ROLES AGE VERSION; wide INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME. */
export const nodePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    AGE_COLUMN,
    column('Version', 'string', 'The kubelet version the node reports.'),
    wideColumn('Internal-IP', 'The first internal address of the node.'),
    wideColumn('External-IP', 'The first external address of the node.'),
    wideColumn('OS-Image', 'The operating system image the node reports.'),
    wideColumn('Kernel-Version', 'The kernel version the node reports.'),
    wideColumn('Container-Runtime', 'The container runtime and version the node reports.'),
  ],
  cells(obj, now) {
    const node = obj as Node;
    const info = node.status?.nodeInfo;
    return [
      node.metadata?.name ?? '',
      nodeStatus(node),
      nodeRoles(node),
      ageSince(node.metadata?.creationTimestamp, now),
      info?.kubeletVersion ?? '',
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      orPlaceholder(info?.osImage, '<unknown>'),
      orPlaceholder(info?.kernelVersion, '<unknown>'),
      orPlaceholder(info?.containerRuntimeVersion, '<unknown>'),
    ];
  },
};

/** Namespaces: STATUS AGE. */
export const namespacePrinter: Printer = {
  columns: [NAME_COLUMN, column('Status', 'string', 'The status of the namespace'), AGE_COLUMN],
  cells(obj, now) {
    const ns = obj as Namespace;
    return [ns.metadata?.name ?? '', ns.status?.phase ?? '', ageSince(ns.metadata?.creationTimestamp, now)];
  },
};

/** ConfigMaps: DATA (entries in data plus binaryData) AGE. */
export const configMapPrinter: Printer = {
  columns: [NAME_COLUMN, column('Data', 'string', 'Number of entries in data and binaryData.'), AGE_COLUMN],
  cells(obj, now) {
    const cm = obj as ConfigMap;
    const entries = Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length;
    return [cm.metadata?.name ?? '', entries, ageSince(cm.metadata?.creationTimestamp, now)];
  },
};

/** Secrets: TYPE DATA AGE. */
export const secretPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', 'The type of the secret, which says how its data is used.'),
    column('Data', 'string', 'Number of entries in data.'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const secret = obj as Secret;
    return [
      secret.metadata?.name ?? '',
      secret.type ?? '',
      Object.keys(secret.data ?? {}).length,
      ageSince(secret.metadata?.creationTimestamp, now),
    ];
  },
};

/** ServiceAccounts: SECRETS AGE. */
export const serviceAccountPrinter: Printer = {
  columns: [NAME_COLUMN, column('Secrets', 'string', 'Number of secrets listed for the account.'), AGE_COLUMN],
  cells(obj, now) {
    const sa = obj as ServiceAccount;
    return [sa.metadata?.name ?? '', (sa.secrets ?? []).length, ageSince(sa.metadata?.creationTimestamp, now)];
  },
};

/** ResourceQuotas: REQUEST LIMIT AGE, each `resource: used/hard` sorted by resource name. */
export const resourceQuotaPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column(
      'Limit',
      'string',
      'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
    ),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const quota = obj as ResourceQuota;
    const hard = quota.status?.hard ?? {};
    const used = quota.status?.used ?? {};
    const requests: string[] = [];
    const limits: string[] = [];
    for (const name of Object.keys(hard).sort()) {
      const entry = `${name}: ${formatQuantity(used[name])}/${formatQuantity(hard[name])}`;
      const pieces = name.split('.');
      (pieces.length > 1 && pieces[0] === 'limits' ? limits : requests).push(entry);
    }
    return [
      quota.metadata?.name ?? '',
      requests.join(', '),
      limits.join(', '),
      ageSince(quota.metadata?.creationTimestamp, now),
    ];
  },
};
