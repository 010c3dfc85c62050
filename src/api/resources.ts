/**
 * The catalog of served resources: which group/version/resource exists, its kind,
 * scope, verbs, short names, categories and subresources. Discovery, routing,
 * storage keys and kubectl's `api-resources` all read this one table.
 */

/** The verbs of a full resource, in upstream's discovery order. */
export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

/** A verb the API serves. */
export type Verb = (typeof ALL_VERBS)[number];

/** One served subresource (`status`, `scale`, `binding`, `eviction`). */
export interface SubresourceInfo {
  name: string;
  kind: string;
  /** Group and version of the subresource's kind when it differs from the parent (scale → autoscaling/v1). */
  group?: string;
  version?: string;
  verbs: readonly string[];
  /** A connect subresource (log, exec, attach, portforward): served by the kubelet, not an object of `kind`. */
  connect?: boolean;
}

/** Everything the API knows statically about one resource. */
export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural lower-case name, as in URLs. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: readonly string[];
  shortNames: readonly string[];
  categories: readonly string[];
  subresources: readonly SubresourceInfo[];
  /**
   * The storage prefix shared by every version of the same underlying type
   * (core/v1 events and events.k8s.io/v1 events share `events`).
   */
  storageResource: string;
}

type ResourceSpec = Partial<ResourceInfo> & Pick<ResourceInfo, 'group' | 'version' | 'resource' | 'kind'>;

const statusSub = (kind: string): SubresourceInfo => ({ name: 'status', kind, verbs: ['get', 'patch', 'update'] });
const scaleSub: SubresourceInfo = {
  name: 'scale',
  kind: 'Scale',
  group: 'autoscaling',
  version: 'v1',
  verbs: ['get', 'patch', 'update'],
};
const createOnly = ['create'] as const;
/** The pod subresources served by the pod's kubelet, with upstream's kinds and verbs. */
const podConnectSubs: SubresourceInfo[] = [
  { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'], connect: true },
  { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'], connect: true },
  { name: 'log', kind: 'Pod', verbs: ['get'], connect: true },
  { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'], connect: true },
];

function resource(spec: ResourceSpec): ResourceInfo {
  return {
    singular: spec.kind.toLowerCase(),
    listKind: `${spec.kind}List`,
    namespaced: true,
    verbs: ALL_VERBS,
    shortNames: [],
    categories: [],
    subresources: [],
    storageResource: spec.resource,
    ...spec,
  };
}

/** Every resource k8ts serves. */
export const RESOURCES: readonly ResourceInfo[] = [
  // core/v1
  resource({ group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: [statusSub('Namespace'), { name: 'finalize', kind: 'Namespace', verbs: ['update'] }] }),
  resource({ group: '', version: 'v1', resource: 'pods', kind: 'Pod', shortNames: ['po'], categories: ['all'], subresources: [statusSub('Pod'), { name: 'binding', kind: 'Binding', verbs: createOnly }, { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: createOnly }, ...podConnectSubs] }),
  resource({ group: '', version: 'v1', resource: 'bindings', kind: 'Binding', verbs: createOnly }),
  resource({ group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', shortNames: ['cm'] }),
  resource({ group: '', version: 'v1', resource: 'secrets', kind: 'Secret' }),
  resource({ group: '', version: 'v1', resource: 'services', kind: 'Service', shortNames: ['svc'], categories: ['all'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], subresources: [statusSub('Service')] }),
  resource({ group: '', version: 'v1', resource: 'endpoints', kind: 'Endpoints', singular: 'endpoints', shortNames: ['ep'] }),
  resource({ group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'], subresources: [statusSub('Node')] }),
  resource({ group: '', version: 'v1', resource: 'events', kind: 'Event', shortNames: ['ev'] }),
  resource({ group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', shortNames: ['sa'], subresources: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: createOnly }] }),
  resource({ group: '', version: 'v1', resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false, shortNames: ['pv'], subresources: [statusSub('PersistentVolume')] }),
  resource({ group: '', version: 'v1', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', shortNames: ['pvc'], subresources: [statusSub('PersistentVolumeClaim')] }),
  resource({ group: '', version: 'v1', resource: 'resourcequotas', kind: 'ResourceQuota', shortNames: ['quota'], subresources: [statusSub('ResourceQuota')] }),
  resource({ group: '', version: 'v1', resource: 'limitranges', kind: 'LimitRange', shortNames: ['limits'] }),
  resource({ group: '', version: 'v1', resource: 'replicationcontrollers', kind: 'ReplicationController', shortNames: ['rc'], categories: ['all'], subresources: [statusSub('ReplicationController'), scaleSub] }),
  // apps/v1
  resource({ group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', shortNames: ['deploy'], categories: ['all'], subresources: [statusSub('Deployment'), scaleSub] }),
  resource({ group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', shortNames: ['rs'], categories: ['all'], subresources: [statusSub('ReplicaSet'), scaleSub] }),
  resource({ group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', shortNames: ['sts'], categories: ['all'], subresources: [statusSub('StatefulSet'), scaleSub] }),
  resource({ group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', shortNames: ['ds'], categories: ['all'], subresources: [statusSub('DaemonSet')] }),
  resource({ group: 'apps', version: 'v1', resource: 'controllerrevisions', kind: 'ControllerRevision' }),
  // batch/v1
  resource({ group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', categories: ['all'], subresources: [statusSub('Job')] }),
  resource({ group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', shortNames: ['cj'], categories: ['all'], subresources: [statusSub('CronJob')] }),
  // coordination.k8s.io/v1
  resource({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease' }),
  // events.k8s.io/v1 (same storage as core/v1 events, another shape)
  resource({ group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', shortNames: ['ev'], storageResource: 'events' }),
  // discovery.k8s.io/v1
  resource({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice' }),
  // storage.k8s.io/v1
  resource({ group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', kind: 'StorageClass', namespaced: false, shortNames: ['sc'] }),
  // scheduling.k8s.io/v1
  resource({ group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', kind: 'PriorityClass', namespaced: false, shortNames: ['pc'] }),
  // policy/v1
  resource({ group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', shortNames: ['pdb'], subresources: [statusSub('PodDisruptionBudget')] }),
  // authorization.k8s.io/v1 (create-only reviews, never stored)
  resource({ group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: createOnly }),
  resource({ group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', namespaced: false, verbs: createOnly }),
  resource({ group: 'authorization.k8s.io', version: 'v1', resource: 'subjectaccessreviews', kind: 'SubjectAccessReview', namespaced: false, verbs: createOnly }),
  resource({ group: 'authorization.k8s.io', version: 'v1', resource: 'localsubjectaccessreviews', kind: 'LocalSubjectAccessReview', verbs: createOnly }),
  // authentication.k8s.io/v1
  resource({ group: 'authentication.k8s.io', version: 'v1', resource: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false, verbs: createOnly }),
  resource({ group: 'authentication.k8s.io', version: 'v1', resource: 'tokenreviews', kind: 'TokenReview', namespaced: false, verbs: createOnly }),
  // rbac.authorization.k8s.io/v1
  resource({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', kind: 'Role' }),
  resource({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', kind: 'RoleBinding' }),
  resource({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false }),
  resource({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false }),
];

/** `apiVersion` string for a group and version: `v1` for core, `apps/v1` otherwise. */
export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** Splits an apiVersion into group and version (`v1` → core). */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Finds a resource by group, version and plural name. */
export function findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.resource === plural);
}

/** Finds a resource by group, version and kind. */
export function findResourceByKind(group: string, version: string, kind: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.kind === kind);
}

/** True for resources that are never stored (reviews answered on create). */
export function isVirtual(info: ResourceInfo): boolean {
  return info.group === 'authorization.k8s.io' || info.group === 'authentication.k8s.io' || (info.group === '' && info.resource === 'bindings');
}
