/**
 * How lists and maps of the built-in types merge: the strategic-merge-patch and
 * server-side-apply metadata that upstream keeps in Go struct tags and `+listType`
 * markers, which `kubernetes-types` does not carry. kubectl's client-side apply reads
 * it from the OpenAPI documents (`x-kubernetes-patch-strategy`,
 * `x-kubernetes-patch-merge-key`, `x-kubernetes-list-type`, …) to merge containers by
 * name, ports by containerPort and so on instead of replacing whole lists.
 *
 * Facts taken from the Kubernetes v1.32 API types; fields newer than the
 * `kubernetes-types` release we build from are left out until that package has them.
 */
import type { Definitions, OpenApiSchema } from './schema.js';

/** The merge behaviour of one field. */
export interface FieldPatchMetadata {
  patchStrategy?: 'merge' | 'retainKeys' | 'merge,retainKeys' | 'replace';
  patchMergeKey?: string;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: readonly string[];
  mapType?: 'atomic' | 'granular';
}

/** A list replaced as a whole. */
const atomic: FieldPatchMetadata = { listType: 'atomic' };
/** A list of unique scalars. */
const set: FieldPatchMetadata = { listType: 'set' };
/** A map replaced as a whole. */
const atomicMap: FieldPatchMetadata = { mapType: 'atomic' };
/** A list of scalars merged as a set by strategic merge patch. */
const mergedSet: FieldPatchMetadata = { patchStrategy: 'merge', listType: 'set' };

/** A list of objects merged by `key`; server-side apply keys entries by `key` plus `moreMapKeys`. */
function mergeBy(key: string, ...moreMapKeys: string[]): FieldPatchMetadata {
  return { patchStrategy: 'merge', patchMergeKey: key, listType: 'map', listMapKeys: [key, ...moreMapKeys] };
}

/** Like mergeBy, and an entry's fields absent from the patch are cleared (one-of members such as volume sources). */
function mergeRetainingKeysBy(key: string): FieldPatchMetadata {
  return { ...mergeBy(key), patchStrategy: 'merge,retainKeys' };
}

/** A list keyed for server-side apply only (strategic merge replaces it). */
function keyedBy(...keys: string[]): FieldPatchMetadata {
  return { listType: 'map', listMapKeys: keys };
}

type FieldTable = Record<string, Record<string, FieldPatchMetadata>>;

function inPackage(pkg: string, types: FieldTable): FieldTable {
  return Object.fromEntries(Object.entries(types).map(([type, fields]) => [`${pkg}.${type}`, fields]));
}

const containerFields: Record<string, FieldPatchMetadata> = {
  command: atomic,
  args: atomic,
  ports: mergeBy('containerPort', 'protocol'),
  envFrom: atomic,
  env: mergeBy('name'),
  resizePolicy: atomic,
  volumeMounts: mergeBy('mountPath'),
  volumeDevices: mergeBy('devicePath'),
};
const conditionsByType = { conditions: mergeBy('type') };

/** Field metadata by definition name and field name. */
export const FIELD_PATCH_METADATA: Readonly<FieldTable> = {
  ...inPackage('io.k8s.api.core.v1', {
    PodSpec: {
      volumes: mergeRetainingKeysBy('name'),
      initContainers: mergeBy('name'),
      containers: mergeBy('name'),
      ephemeralContainers: mergeBy('name'),
      nodeSelector: atomicMap,
      imagePullSecrets: mergeBy('name'),
      tolerations: atomic,
      hostAliases: mergeBy('ip'),
      readinessGates: atomic,
      topologySpreadConstraints: mergeBy('topologyKey', 'whenUnsatisfiable'),
      schedulingGates: mergeBy('name'),
      resourceClaims: mergeRetainingKeysBy('name'),
    },
    PodStatus: {
      ...conditionsByType,
      hostIPs: { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'atomic' },
      podIPs: mergeBy('ip'),
      initContainerStatuses: atomic,
      containerStatuses: atomic,
      ephemeralContainerStatuses: atomic,
      resourceClaimStatuses: mergeRetainingKeysBy('name'),
    },
    Container: containerFields,
    EphemeralContainer: containerFields,
    ContainerStatus: { volumeMounts: mergeBy('mountPath') },
    ResourceRequirements: { claims: keyedBy('name') },
    Capabilities: { add: atomic, drop: atomic },
    ExecAction: { command: atomic },
    HTTPGetAction: { httpHeaders: atomic },
    PodSecurityContext: { supplementalGroups: atomic, sysctls: atomic },
    PodDNSConfig: { nameservers: atomic, searches: atomic, options: atomic },
    HostAlias: { hostnames: atomic },
    TopologySpreadConstraint: { matchLabelKeys: atomic },
    NodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: atomic },
    PodAffinity: { requiredDuringSchedulingIgnoredDuringExecution: atomic, preferredDuringSchedulingIgnoredDuringExecution: atomic },
    PodAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: atomic, preferredDuringSchedulingIgnoredDuringExecution: atomic },
    PodAffinityTerm: { namespaces: atomic, matchLabelKeys: atomic, mismatchLabelKeys: atomic },
    NodeSelector: { nodeSelectorTerms: atomic },
    NodeSelectorTerm: { matchExpressions: atomic, matchFields: atomic },
    NodeSelectorRequirement: { values: atomic },
    TopologySelectorTerm: { matchLabelExpressions: atomic },
    TopologySelectorLabelRequirement: { values: atomic },
    ProjectedVolumeSource: { sources: atomic },
    SecretVolumeSource: { items: atomic },
    SecretProjection: { items: atomic },
    ConfigMapVolumeSource: { items: atomic },
    ConfigMapProjection: { items: atomic },
    DownwardAPIVolumeSource: { items: atomic },
    DownwardAPIProjection: { items: atomic },
    RBDVolumeSource: { monitors: atomic },
    RBDPersistentVolumeSource: { monitors: atomic },
    CephFSVolumeSource: { monitors: atomic },
    CephFSPersistentVolumeSource: { monitors: atomic },
    ISCSIVolumeSource: { portals: atomic },
    ISCSIPersistentVolumeSource: { portals: atomic },
    FCVolumeSource: { targetWWNs: atomic, wwids: atomic },
    PersistentVolumeSpec: { accessModes: atomic, mountOptions: atomic },
    PersistentVolumeClaimSpec: { accessModes: atomic },
    PersistentVolumeClaimStatus: { accessModes: atomic, ...conditionsByType },
    ReplicationControllerSpec: { selector: atomicMap },
    ReplicationControllerStatus: conditionsByType,
    ServiceSpec: {
      ports: mergeBy('port', 'protocol'),
      selector: atomicMap,
      clusterIPs: atomic,
      externalIPs: atomic,
      loadBalancerSourceRanges: atomic,
      ipFamilies: atomic,
    },
    ServiceStatus: conditionsByType,
    LoadBalancerStatus: { ingress: atomic },
    LoadBalancerIngress: { ports: atomic },
    ServiceAccount: { secrets: mergeBy('name'), imagePullSecrets: atomic },
    Endpoints: { subsets: atomic },
    EndpointSubset: { addresses: atomic, notReadyAddresses: atomic, ports: atomic },
    NodeSpec: { podCIDRs: mergedSet, taints: atomic },
    NodeStatus: {
      ...conditionsByType,
      addresses: mergeBy('type'),
      images: atomic,
      volumesInUse: atomic,
      volumesAttached: atomic,
      runtimeHandlers: atomic,
    },
    ContainerImage: { names: atomic },
    NamespaceSpec: { finalizers: atomic },
    NamespaceStatus: conditionsByType,
    ComponentStatus: conditionsByType,
    LimitRangeSpec: { limits: atomic },
    ResourceQuotaSpec: { scopes: atomic },
    ScopeSelector: { matchExpressions: atomic },
    ScopedResourceSelectorRequirement: { values: atomic },
  }),
  ...inPackage('io.k8s.api.apps.v1', {
    DeploymentSpec: { strategy: { patchStrategy: 'retainKeys' } },
    DeploymentStatus: conditionsByType,
    ReplicaSetStatus: conditionsByType,
    StatefulSetSpec: { volumeClaimTemplates: atomic },
    StatefulSetStatus: conditionsByType,
    DaemonSetStatus: conditionsByType,
  }),
  ...inPackage('io.k8s.api.batch.v1', {
    JobStatus: { conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'atomic' } },
    UncountedTerminatedPods: { succeeded: set, failed: set },
    PodFailurePolicy: { rules: atomic },
    PodFailurePolicyRule: { onPodConditions: atomic },
    PodFailurePolicyOnExitCodesRequirement: { values: set },
    SuccessPolicy: { rules: atomic },
    CronJobStatus: { active: atomic },
  }),
  ...inPackage('io.k8s.api.policy.v1', {
    PodDisruptionBudgetSpec: { selector: { patchStrategy: 'replace' } },
    PodDisruptionBudgetStatus: conditionsByType,
  }),
  ...inPackage('io.k8s.api.rbac.v1', {
    PolicyRule: { verbs: atomic, apiGroups: atomic, resources: atomic, resourceNames: atomic, nonResourceURLs: atomic },
    Role: { rules: atomic },
    ClusterRole: { rules: atomic },
    AggregationRule: { clusterRoleSelectors: atomic },
    RoleBinding: { subjects: atomic },
    ClusterRoleBinding: { subjects: atomic },
  }),
  ...inPackage('io.k8s.api.discovery.v1', {
    EndpointSlice: { endpoints: atomic, ports: atomic },
    Endpoint: { addresses: set },
    EndpointHints: { forZones: atomic },
  }),
  ...inPackage('io.k8s.api.storage.v1', {
    StorageClass: { mountOptions: atomic, allowedTopologies: atomic },
    CSIDriverSpec: { volumeLifecycleModes: set, tokenRequests: atomic },
    CSINodeSpec: { drivers: mergeBy('name') },
    CSINodeDriver: { topologyKeys: atomic },
  }),
  ...inPackage('io.k8s.api.authorization.v1', {
    SubjectAccessReviewSpec: { groups: atomic },
    SubjectRulesReviewStatus: { resourceRules: atomic, nonResourceRules: atomic },
    ResourceRule: { apiGroups: atomic, resourceNames: atomic },
    NonResourceRule: { verbs: atomic, nonResourceURLs: atomic },
  }),
  ...inPackage('io.k8s.api.authentication.v1', {
    TokenReviewSpec: { audiences: atomic },
    TokenReviewStatus: { audiences: atomic },
    UserInfo: { groups: atomic },
    TokenRequestSpec: { audiences: atomic },
  }),
  ...inPackage('io.k8s.apimachinery.pkg.apis.meta.v1', {
    ObjectMeta: { ownerReferences: mergeBy('uid'), finalizers: mergedSet, managedFields: atomic },
    LabelSelector: { matchExpressions: atomic },
    LabelSelectorRequirement: { values: atomic },
    DeleteOptions: { dryRun: atomic },
    StatusDetails: { causes: atomic },
    APIVersions: { versions: atomic, serverAddressByClientCIDRs: atomic },
    APIGroupList: { groups: atomic },
    APIGroup: { versions: atomic, serverAddressByClientCIDRs: atomic },
    APIResource: { shortNames: atomic, categories: atomic },
    APIResourceList: { resources: atomic },
  }),
};

/** Structs replaced as a whole by server-side apply (`+structType=atomic`), published as `x-kubernetes-map-type: atomic`. */
export const ATOMIC_STRUCTS: readonly string[] = [
  ...['SecretReference', 'ObjectFieldSelector', 'ResourceFieldSelector', 'ConfigMapKeySelector', 'SecretKeySelector',
    'NodeSelector', 'NodeSelectorTerm', 'TopologySelectorTerm', 'EndpointAddress', 'EndpointPort', 'ObjectReference',
    'LocalObjectReference', 'TypedLocalObjectReference', 'ScopeSelector'].map((type) => `io.k8s.api.core.v1.${type}`),
  'io.k8s.api.autoscaling.v1.CrossVersionObjectReference',
  'io.k8s.api.rbac.v1.Subject',
  'io.k8s.api.rbac.v1.RoleRef',
  'io.k8s.api.discovery.v1.EndpointPort',
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference',
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
];

/** The OpenAPI extensions that state one field's metadata. */
export function patchExtensions(metadata: FieldPatchMetadata): Partial<OpenApiSchema> {
  const extensions: Partial<OpenApiSchema> = {};
  if (metadata.listMapKeys) extensions['x-kubernetes-list-map-keys'] = [...metadata.listMapKeys];
  if (metadata.listType) extensions['x-kubernetes-list-type'] = metadata.listType;
  if (metadata.mapType) extensions['x-kubernetes-map-type'] = metadata.mapType;
  if (metadata.patchMergeKey) extensions['x-kubernetes-patch-merge-key'] = metadata.patchMergeKey;
  if (metadata.patchStrategy) extensions['x-kubernetes-patch-strategy'] = metadata.patchStrategy;
  return extensions;
}

/**
 * Adds the table's metadata to `definitions` in place. Returns one message per table
 * entry that names a type or field the definitions lack (a typo, or a type renamed
 * upstream); the build fails on any.
 */
export function applyPatchMetadata(definitions: Definitions): string[] {
  const problems: string[] = [];
  for (const [type, fields] of Object.entries(FIELD_PATCH_METADATA)) {
    const properties = definitions[type]?.properties;
    for (const [field, metadata] of Object.entries(fields)) {
      const property = properties?.[field];
      if (!property) {
        problems.push(`patch metadata for unknown field ${type}.${field}`);
        continue;
      }
      const isList = property.type === 'array';
      if ((metadata.listType !== undefined || metadata.patchMergeKey !== undefined) && !isList) {
        problems.push(`list metadata on non-list field ${type}.${field}`);
        continue;
      }
      Object.assign(property, patchExtensions(metadata));
    }
  }
  for (const type of ATOMIC_STRUCTS) {
    const definition = definitions[type];
    if (definition) definition['x-kubernetes-map-type'] = 'atomic';
    else problems.push(`atomic struct ${type} is not a definition`);
  }
  return problems;
}
