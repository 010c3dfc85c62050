/**
 * Upstream defaulting for pods and pod templates (`SetDefaults_PodSpec`,
 * `SetDefaults_Container`, `SetDefaults_Probe`, volume sources, …) and the
 * pod-only extras of `SetDefaults_Pod`.
 */
import type {
  Container,
  EnvVar,
  HTTPGetAction,
  LifecycleHandler,
  Pod,
  PodSpec,
  PodTemplateSpec,
  Probe,
  Volume,
  VolumeProjection,
} from 'kubernetes-types/core/v1.js';
import { defaultResourceList, type ResourceList } from './resourceLists.js';

/** Mode 0644, upstream's default for secret, configMap, downwardAPI and projected volumes. */
export const DEFAULT_VOLUME_MODE = 0o644;

/**
 * The tag of an image reference as upstream's parser sees it: the explicit tag,
 * `latest` when there is neither tag nor digest, '' when only a digest is given.
 */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  if (colon >= 0) return withoutDigest.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

function defaultHTTPGet(action: HTTPGetAction | undefined): void {
  if (!action) return;
  if (!action.path) action.path = '/';
  if (!action.scheme) action.scheme = 'HTTP';
}

function defaultProbe(probe: Probe | undefined): void {
  if (!probe) return;
  if (!probe.timeoutSeconds) probe.timeoutSeconds = 1;
  if (!probe.periodSeconds) probe.periodSeconds = 10;
  if (!probe.successThreshold) probe.successThreshold = 1;
  if (!probe.failureThreshold) probe.failureThreshold = 3;
  defaultHTTPGet(probe.httpGet);
}

function defaultHandler(handler: LifecycleHandler | undefined): void {
  defaultHTTPGet(handler?.httpGet);
}

function defaultEnv(env: EnvVar[] | undefined): void {
  for (const variable of env ?? []) {
    const ref = variable.valueFrom?.fieldRef;
    if (ref && !ref.apiVersion) ref.apiVersion = 'v1';
  }
}

/** `SetDefaults_Container` plus what upstream's generated defaulters reach inside a container. */
export function defaultContainer(container: Container): void {
  if (!container.imagePullPolicy) {
    container.imagePullPolicy = imageTag(container.image ?? '') === 'latest' ? 'Always' : 'IfNotPresent';
  }
  if (!container.terminationMessagePath) container.terminationMessagePath = '/dev/termination-log';
  if (!container.terminationMessagePolicy) container.terminationMessagePolicy = 'File';
  for (const port of container.ports ?? []) {
    if (!port.protocol) port.protocol = 'TCP';
  }
  defaultEnv(container.env);
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
  defaultHandler(container.lifecycle?.postStart);
  defaultHandler(container.lifecycle?.preStop);
  if (container.resources) {
    defaultResourceList(container.resources.limits as ResourceList | undefined);
    defaultResourceList(container.resources.requests as ResourceList | undefined);
  }
}

function defaultProjection(source: VolumeProjection): void {
  for (const item of source.downwardAPI?.items ?? []) {
    if (item.fieldRef && !item.fieldRef.apiVersion) item.fieldRef.apiVersion = 'v1';
  }
  const token = source.serviceAccountToken;
  if (token && token.expirationSeconds === undefined) token.expirationSeconds = 3600;
}

const VOLUME_SOURCE_KEYS = new Set<string>([
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'configMap', 'csi', 'downwardAPI',
  'emptyDir', 'ephemeral', 'fc', 'flexVolume', 'flocker', 'gcePersistentDisk', 'gitRepo', 'glusterfs',
  'hostPath', 'image', 'iscsi', 'nfs', 'persistentVolumeClaim', 'photonPersistentDisk', 'portworxVolume',
  'projected', 'quobyte', 'rbd', 'scaleIO', 'secret', 'storageos', 'vsphereVolume',
]);

/** The volume source fields present on a volume (`emptyDir`, `configMap`, …). */
export function volumeSourcesOf(volume: Volume): string[] {
  const record = volume as unknown as Record<string, unknown>;
  return Object.keys(record).filter((k) => VOLUME_SOURCE_KEYS.has(k) && record[k] !== undefined && record[k] !== null);
}

/** `SetDefaults_Volume` and the defaults of each volume source. */
export function defaultVolume(volume: Volume): void {
  if (volumeSourcesOf(volume).length === 0) volume.emptyDir = {};
  if (volume.secret && volume.secret.defaultMode === undefined) volume.secret.defaultMode = DEFAULT_VOLUME_MODE;
  if (volume.configMap && volume.configMap.defaultMode === undefined) volume.configMap.defaultMode = DEFAULT_VOLUME_MODE;
  if (volume.downwardAPI) {
    if (volume.downwardAPI.defaultMode === undefined) volume.downwardAPI.defaultMode = DEFAULT_VOLUME_MODE;
    for (const item of volume.downwardAPI.items ?? []) {
      if (item.fieldRef && !item.fieldRef.apiVersion) item.fieldRef.apiVersion = 'v1';
    }
  }
  if (volume.projected) {
    if (volume.projected.defaultMode === undefined) volume.projected.defaultMode = DEFAULT_VOLUME_MODE;
    for (const source of volume.projected.sources ?? []) defaultProjection(source);
  }
  if (volume.hostPath && volume.hostPath.type === undefined) volume.hostPath.type = '';
  if (volume.emptyDir?.sizeLimit !== undefined) {
    const list: ResourceList = { sizeLimit: volume.emptyDir.sizeLimit };
    defaultResourceList(list);
    volume.emptyDir.sizeLimit = String(list.sizeLimit);
  }
}

/** `SetDefaults_PodSpec` and everything nested in a pod spec; used for pods and pod templates. */
export function defaultPodSpec(spec: PodSpec): void {
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (!spec.securityContext) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) {
    spec.terminationGracePeriodSeconds = 30;
  }
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  // The deprecated serviceAccount mirrors serviceAccountName, as upstream's v1 conversion does.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const container of spec.containers ?? []) defaultContainer(container);
  for (const container of spec.initContainers ?? []) defaultContainer(container);
  for (const container of spec.ephemeralContainers ?? []) defaultContainer(container as Container);
  for (const volume of spec.volumes ?? []) defaultVolume(volume);
  defaultResourceList(spec.overhead as ResourceList | undefined);
}

/** Defaults a pod template's spec (no-op when the template or its spec is absent). */
export function defaultPodTemplateSpec(template: PodTemplateSpec | undefined): void {
  if (template?.spec) defaultPodSpec(template.spec);
}

function defaultRequestsFromLimits(container: Container): void {
  const limits = container.resources?.limits;
  if (!limits || !container.resources) return;
  const requests = (container.resources.requests ??= {});
  for (const [name, value] of Object.entries(limits)) {
    if (!(name in requests)) requests[name] = value;
  }
}

/** `SetDefaults_Pod`: pod spec defaults plus requests from limits, service links and host-network ports. */
export function defaultPod(pod: Pod): void {
  const spec = pod.spec;
  if (!spec) return;
  defaultPodSpec(spec);
  for (const container of spec.containers ?? []) defaultRequestsFromLimits(container);
  for (const container of spec.initContainers ?? []) defaultRequestsFromLimits(container);
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  if (spec.hostNetwork) {
    for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const port of container.ports ?? []) {
        if (!port.hostPort) port.hostPort = port.containerPort;
      }
    }
  }
}
