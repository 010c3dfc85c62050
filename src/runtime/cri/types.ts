/**
 * TypeScript shapes of the CRI v1 messages k8ts uses, as @grpc/proto-loader presents
 * them (camelCase fields, enums as their names, 64-bit integers as decimal strings on
 * responses). They mirror `proto/api.proto`; fields k8ts does not use are left out,
 * and request fields are optional where proto3 has a default.
 */

/** Labels or annotations. */
export type StringMap = Record<string, string>;

/** Namespace sharing for a sandbox or container. */
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
/** Sandbox state. */
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
/** Container state. */
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
/** Port protocol. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';
/** Mount propagation. */
export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';

/** An int64 wrapped to tell 0 from unset. */
export interface Int64Value { value: number | string }

/** Which namespaces a sandbox or container gets. */
export interface NamespaceOption {
  network?: NamespaceMode;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
  targetId?: string;
}

/** Identity of a sandbox. */
export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt?: number;
}

/** A host port mapping of a sandbox. */
export interface PortMapping {
  protocol?: Protocol;
  containerPort: number;
  hostPort?: number;
  hostIp?: string;
}

/** Resolver settings of a sandbox. */
export interface DnsConfig {
  servers?: string[];
  searches?: string[];
  options?: string[];
}

/** A seccomp (or AppArmor) profile: the runtime's default, none, or a file on the node. */
export interface SecurityProfile {
  profileType: 'RuntimeDefault' | 'Unconfined' | 'Localhost';
  /** For Localhost seccomp: the profile file's absolute path. */
  localhostRef?: string;
}

/** Linux security of a sandbox. */
export interface LinuxSandboxSecurityContext {
  namespaceOptions?: NamespaceOption;
  runAsUser?: Int64Value;
  runAsGroup?: Int64Value;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  privileged?: boolean;
  seccomp?: SecurityProfile;
}

/** Linux part of a sandbox config. */
export interface LinuxPodSandboxConfig {
  cgroupParent?: string;
  securityContext?: LinuxSandboxSecurityContext;
  sysctls?: StringMap;
}

/** What RunPodSandbox creates. */
export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  /** Directory under which container logs of this sandbox are written (absolute). */
  logDirectory?: string;
  dnsConfig?: DnsConfig;
  portMappings?: PortMapping[];
  labels?: StringMap;
  annotations?: StringMap;
  linux?: LinuxPodSandboxConfig;
}

/** Network status of a sandbox. */
export interface PodSandboxNetworkStatus {
  ip: string;
  additionalIps: { ip: string }[];
}

/** PodSandboxStatus's answer. */
export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata | null;
  state: PodSandboxState;
  /** Nanoseconds since the epoch. */
  createdAt: string;
  network: PodSandboxNetworkStatus | null;
  labels: StringMap;
  annotations: StringMap;
  runtimeHandler: string;
}

/** One entry of ListPodSandbox. */
export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata | null;
  state: PodSandboxState;
  createdAt: string;
  labels: StringMap;
  annotations: StringMap;
  runtimeHandler: string;
}

/** ListPodSandbox filter. */
export interface PodSandboxFilter {
  id?: string;
  state?: { state: PodSandboxState };
  labelSelector?: StringMap;
}

/** An image reference. */
export interface ImageSpec {
  image: string;
  annotations?: StringMap;
}

/** Environment variable. */
export interface KeyValue { key: string; value: string }

/** A bind mount into a container. */
export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
  selinuxRelabel?: boolean;
  propagation?: MountPropagation;
}

/** Identity of a container within its sandbox. */
export interface ContainerMetadata { name: string; attempt?: number }

/** Linux security of a container. */
export interface LinuxContainerSecurityContext {
  capabilities?: { addCapabilities?: string[]; dropCapabilities?: string[] };
  privileged?: boolean;
  namespaceOptions?: NamespaceOption;
  runAsUser?: Int64Value;
  runAsGroup?: Int64Value;
  runAsUsername?: string;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  noNewPrivs?: boolean;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  seccomp?: SecurityProfile;
}

/** Linux cgroup limits of a container (0 = not set). */
export interface LinuxContainerResources {
  cpuPeriod?: number;
  cpuQuota?: number;
  cpuShares?: number;
  memoryLimitInBytes?: number;
  oomScoreAdj?: number;
}

/** What CreateContainer creates. */
export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  command?: string[];
  args?: string[];
  workingDir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  labels?: StringMap;
  annotations?: StringMap;
  /** Relative to the sandbox's logDirectory. */
  logPath?: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  linux?: { resources?: LinuxContainerResources; securityContext?: LinuxContainerSecurityContext };
}

/** ContainerStatus's answer. */
export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata | null;
  state: ContainerState;
  createdAt: string;
  startedAt: string;
  finishedAt: string;
  exitCode: number;
  image: ImageSpec | null;
  imageRef: string;
  reason: string;
  message: string;
  labels: StringMap;
  annotations: StringMap;
  logPath: string;
}

/** One entry of ListContainers. */
export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata | null;
  image: ImageSpec | null;
  imageRef: string;
  state: ContainerState;
  createdAt: string;
  labels: StringMap;
  annotations: StringMap;
}

/** ListContainers filter. */
export interface ContainerFilter {
  id?: string;
  state?: { state: ContainerState };
  podSandboxId?: string;
  labelSelector?: StringMap;
}

/** ExecSync's answer. */
export interface ExecSyncResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

/** Exec's request: which streams the session carries. One of stdin/stdout/stderr must be set; no stderr with tty. */
export interface ExecRequest {
  containerId: string;
  cmd: string[];
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

/** Attach's request; `tty` must match the container's config. */
export type AttachRequest = Omit<ExecRequest, 'cmd'>;

/** Version's answer. */
export interface VersionResponse {
  version: string;
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
}

/** One runtime condition (RuntimeReady, NetworkReady). */
export interface RuntimeCondition {
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

/** Status's answer. */
export interface RuntimeStatus {
  conditions: RuntimeCondition[];
}

/** An image known to the runtime. */
export interface Image {
  /** The image config digest (`sha256:…`). */
  id: string;
  repoTags: string[];
  repoDigests: string[];
  /** Bytes, as a decimal string. */
  size: string;
  uid: Int64Value | null;
  username: string;
  pinned: boolean;
}

/** Registry credentials for PullImage. */
export interface AuthConfig {
  username?: string;
  password?: string;
  /** base64 of `username:password`. */
  auth?: string;
  serverAddress?: string;
  identityToken?: string;
  registryToken?: string;
}

/** A uint64 wrapper as decoded (longs arrive as strings); null when the runtime left it unset. */
export interface UInt64Value { value: string | number }

/** One container's resource usage (ContainerStats); unset parts are null. */
export interface ContainerStats {
  attributes: { id: string; metadata: ContainerMetadata | null; labels: StringMap; annotations: StringMap } | null;
  memory: { workingSetBytes: UInt64Value | null } | null;
  writableLayer: { usedBytes: UInt64Value | null; inodesUsed: UInt64Value | null } | null;
}

/** One sandbox's resource usage (PodSandboxStats, Linux part); unset parts are null. */
export interface PodSandboxStats {
  attributes: { id: string; metadata: PodSandboxMetadata | null; labels: StringMap; annotations: StringMap } | null;
  linux: { process: { processCount: UInt64Value | null } | null; containers: ContainerStats[] } | null;
}
