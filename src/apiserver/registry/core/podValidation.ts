/**
 * Pod spec validation as upstream's `ValidatePodSpec` and the container,
 * volume, probe, port and environment checks it is built from. Field paths are
 * absolute (`spec.containers[0].image`, `spec.template.spec.volumes[1].name`).
 */
import type {
  Container,
  ContainerPort,
  EnvFromSource,
  EnvVar,
  KeyToPath,
  LifecycleHandler,
  PodSpec,
  Probe,
  ResourceRequirements,
  Toleration,
  Volume,
  VolumeMount,
} from 'kubernetes-types/core/v1.js';
import { tryParseQuantity } from '../../../api/quantity.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import {
  isConfigMapKey,
  isHTTPHeaderName,
  isInRange,
  isRelaxedEnvVarName,
  isValidPortName,
  isValidPortNum,
  isValidUserOrGroupID,
} from '../../../api/validation/identifiers.js';
import { isValidIP } from '../../../api/validation/ip.js';
import { isValidLabelValue, validateLabelName, validateLabels } from '../../../api/validation/labels.js';
import { IS_NEGATIVE_ERROR_MSG, inclusiveRangeError } from '../../../api/validation/messages.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../../api/validation/names.js';
import { volumeSourcesOf } from '../../../api/podDefaults.js';
import { validateResourceList, type ResourceList } from '../../../api/resourceLists.js';
import { validatePodDnsConfig } from './podDnsValidation.js';

const MAX_INT32 = 2147483647;
const VOLUME_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';

/** Invalid errors for each message of a string check. */
export function each(path: string, value: string, messages: readonly string[]): FieldError[] {
  return messages.map((m) => fieldError.invalid(path, value, m));
}

/** Invalid when `value` is negative (upstream `ValidateNonnegativeField`). */
export function nonNegative(value: number | undefined, path: string): FieldError[] {
  return value !== undefined && value !== null && value < 0 ? [fieldError.invalid(path, value, IS_NEGATIVE_ERROR_MSG)] : [];
}

/** NotSupported unless `value` is one of `allowed`; Required when empty and `required`. */
export function oneOf(value: string | undefined, allowed: readonly string[], path: string, required = true): FieldError[] {
  if (!value) return required ? [fieldError.required(path)] : [];
  return allowed.includes(value) ? [] : [fieldError.notSupported(path, value, allowed)];
}

function validateMode(mode: number | undefined, path: string): FieldError[] {
  return mode !== undefined && mode !== null && (mode > 0o777 || mode < 0) ? [fieldError.invalid(path, mode, VOLUME_MODE_ERROR)] : [];
}

function validateRelativePath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(fieldError.invalid(path, target, 'must be a relative path'));
  if (target.split('/').includes('..')) errs.push(fieldError.invalid(path, target, "must not contain '..'"));
  else if (target.startsWith('..')) errs.push(fieldError.invalid(path, target, "must not start with '..'"));
  return errs;
}

function validateKeyToPaths(items: readonly KeyToPath[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (items ?? []).forEach((item, i) => {
    const at = `${path}[${i}]`;
    if (!item.key) errs.push(fieldError.required(`${at}.key`));
    if (!item.path) errs.push(fieldError.required(`${at}.path`));
    else errs.push(...validateRelativePath(item.path, `${at}.path`));
    errs.push(...validateMode(item.mode, `${at}.mode`));
  });
  return errs;
}

function validateVolumeSource(volume: Volume, path: string): FieldError[] {
  const sources = volumeSourcesOf(volume);
  if (sources.length === 0) return [fieldError.required(path, 'must specify a volume type')];
  const errs: FieldError[] = sources.slice(1).map((s) => fieldError.forbidden(`${path}.${s}`, 'may not specify more than 1 volume type'));
  const source = sources[0];
  if (source === 'configMap' && volume.configMap) {
    if (!volume.configMap.name) errs.push(fieldError.required(`${path}.configMap.name`));
    errs.push(...validateMode(volume.configMap.defaultMode, `${path}.configMap.defaultMode`));
    errs.push(...validateKeyToPaths(volume.configMap.items, `${path}.configMap.items`));
  } else if (source === 'secret' && volume.secret) {
    if (!volume.secret.secretName) errs.push(fieldError.required(`${path}.secret.secretName`));
    errs.push(...validateMode(volume.secret.defaultMode, `${path}.secret.defaultMode`));
    errs.push(...validateKeyToPaths(volume.secret.items, `${path}.secret.items`));
  } else if (source === 'persistentVolumeClaim' && volume.persistentVolumeClaim) {
    if (!volume.persistentVolumeClaim.claimName) errs.push(fieldError.required(`${path}.persistentVolumeClaim.claimName`));
  } else if (source === 'hostPath' && volume.hostPath) {
    if (!volume.hostPath.path) errs.push(fieldError.required(`${path}.hostPath.path`));
    else if (volume.hostPath.path.split('/').includes('..')) {
      errs.push(fieldError.invalid(`${path}.hostPath.path`, volume.hostPath.path, "must not contain '..'"));
    }
    const types = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];
    const type = volume.hostPath.type ?? '';
    if (!types.includes(type)) errs.push(fieldError.notSupported(`${path}.hostPath.type`, type, types.slice(1)));
  } else if (source === 'downwardAPI' && volume.downwardAPI) {
    errs.push(...validateMode(volume.downwardAPI.defaultMode, `${path}.downwardAPI.defaultMode`));
  } else if (source === 'projected' && volume.projected) {
    errs.push(...validateMode(volume.projected.defaultMode, `${path}.projected.defaultMode`));
  } else if (source === 'nfs' && volume.nfs) {
    if (!volume.nfs.server) errs.push(fieldError.required(`${path}.nfs.server`));
    if (!volume.nfs.path) errs.push(fieldError.required(`${path}.nfs.path`));
    else if (!volume.nfs.path.startsWith('/')) errs.push(fieldError.invalid(`${path}.nfs.path`, volume.nfs.path, 'must be an absolute path'));
  }
  return errs;
}

/** Validates `spec.volumes`; returns the errors and the set of valid volume names. */
export function validateVolumes(volumes: readonly Volume[] | undefined, path: string): { errors: FieldError[]; names: Set<string> } {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  (volumes ?? []).forEach((volume, i) => {
    const at = `${path}[${i}]`;
    const errs = validateVolumeSource(volume, at);
    if (!volume.name) errs.push(fieldError.required(`${at}.name`));
    else errs.push(...each(`${at}.name`, volume.name, isDNS1123Label(volume.name)));
    if (names.has(volume.name)) errs.push(fieldError.duplicate(`${at}.name`, volume.name));
    if (errs.length === 0) names.add(volume.name);
    else errors.push(...errs);
  });
  return { errors, names };
}

function validatePortNumOrName(port: number | string | undefined, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => fieldError.invalid(path, port, m));
  if (typeof port === 'string' && port !== '') return each(path, port, isValidPortName(port));
  return [fieldError.required(path)];
}

function validateHandler(handler: LifecycleHandler | Probe, path: string): FieldError[] {
  const kinds = (['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'] as const).filter(
    (k) => (handler as Record<string, unknown>)[k] !== undefined && (handler as Record<string, unknown>)[k] !== null,
  );
  if (kinds.length === 0) return [fieldError.required(path, 'must specify a handler type')];
  const errs = kinds.slice(1).map((k) => fieldError.forbidden(`${path}.${k}`, 'may not specify more than 1 handler type'));
  if (handler.exec && (handler.exec.command ?? []).length === 0) errs.push(fieldError.required(`${path}.exec.command`));
  if (handler.httpGet) {
    const http = handler.httpGet;
    if (!http.path) errs.push(fieldError.required(`${path}.httpGet.path`));
    errs.push(...validatePortNumOrName(http.port, `${path}.httpGet.port`));
    errs.push(...oneOf(http.scheme, ['HTTP', 'HTTPS'], `${path}.httpGet.scheme`));
    for (const header of http.httpHeaders ?? []) {
      errs.push(...each(`${path}.httpGet.httpHeaders`, header.name, isHTTPHeaderName(header.name)));
    }
  }
  if (handler.tcpSocket) errs.push(...validatePortNumOrName(handler.tcpSocket.port, `${path}.tcpSocket.port`));
  return errs;
}

function validateProbe(probe: Probe | undefined, path: string): FieldError[] {
  if (!probe) return [];
  return [
    ...validateHandler(probe, path),
    ...nonNegative(probe.initialDelaySeconds, `${path}.initialDelaySeconds`),
    ...nonNegative(probe.timeoutSeconds, `${path}.timeoutSeconds`),
    ...nonNegative(probe.periodSeconds, `${path}.periodSeconds`),
    ...nonNegative(probe.successThreshold, `${path}.successThreshold`),
    ...nonNegative(probe.failureThreshold, `${path}.failureThreshold`),
  ];
}

function validateContainerPorts(ports: readonly ContainerPort[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const at = `${path}[${i}]`;
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length > 0) errs.push(...each(`${at}.name`, port.name, msgs));
      else if (names.has(port.name)) errs.push(fieldError.duplicate(`${at}.name`, port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(fieldError.required(`${at}.containerPort`));
    else errs.push(...isValidPortNum(port.containerPort).map((m) => fieldError.invalid(`${at}.containerPort`, port.containerPort, m)));
    if (port.hostPort) {
      errs.push(...isValidPortNum(port.hostPort).map((m) => fieldError.invalid(`${at}.hostPort`, port.hostPort, m)));
    }
    errs.push(...oneOf(port.protocol, ['SCTP', 'TCP', 'UDP'], `${at}.protocol`));
  });
  return errs;
}

const ENV_FIELD_PATHS = [
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid',
  'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];
const RESOURCE_FIELD_PATHS = [
  'limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory',
];

function validateEnv(env: readonly EnvVar[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (env ?? []).forEach((variable, i) => {
    const at = `${path}[${i}]`;
    if (!variable.name) errs.push(fieldError.required(`${at}.name`));
    else errs.push(...each(`${at}.name`, variable.name, isRelaxedEnvVarName(variable.name)));
    const from = variable.valueFrom;
    if (!from) return;
    const fromPath = `${at}.valueFrom`;
    const sources = (['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'] as const).filter((k) => from[k]);
    if (from.fieldRef) {
      if (!from.fieldRef.apiVersion) errs.push(fieldError.required(`${fromPath}.fieldRef.apiVersion`));
      else if (!from.fieldRef.fieldPath) errs.push(fieldError.required(`${fromPath}.fieldRef.fieldPath`));
      else {
        const fieldPath = from.fieldRef.fieldPath.replace(/\[.*$/, '');
        if (!ENV_FIELD_PATHS.includes(fieldPath)) {
          errs.push(fieldError.notSupported(`${fromPath}.fieldRef.fieldPath`, from.fieldRef.fieldPath, ENV_FIELD_PATHS));
        }
      }
    }
    if (from.resourceFieldRef) {
      const resource = from.resourceFieldRef.resource;
      if (!resource) errs.push(fieldError.required(`${fromPath}.resourceFieldRef.resource`));
      else if (!RESOURCE_FIELD_PATHS.includes(resource)) {
        errs.push(fieldError.notSupported(`${fromPath}.resourceFieldRef.resource`, resource, RESOURCE_FIELD_PATHS));
      }
    }
    for (const kind of ['configMapKeyRef', 'secretKeyRef'] as const) {
      const ref = from[kind];
      if (!ref) continue;
      if (ref.name) errs.push(...each(`${fromPath}.${kind}.name`, ref.name, isDNS1123Subdomain(ref.name)));
      if (!ref.key) errs.push(fieldError.required(`${fromPath}.${kind}.key`));
      else errs.push(...each(`${fromPath}.${kind}.key`, ref.key, isConfigMapKey(ref.key)));
    }
    if (sources.length === 0) {
      errs.push(fieldError.invalid(fromPath, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    } else if (variable.value) {
      errs.push(fieldError.invalid(fromPath, '', 'may not be specified when `value` is not empty'));
    } else if (sources.length > 1) {
      errs.push(fieldError.invalid(fromPath, '', 'may not have more than one field specified at a time'));
    }
  });
  return errs;
}

function validateEnvFrom(envFrom: readonly EnvFromSource[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (envFrom ?? []).forEach((source, i) => {
    const at = `${path}[${i}]`;
    if (source.prefix) errs.push(...each(`${at}.prefix`, source.prefix, isRelaxedEnvVarName(source.prefix)));
    const refs = (['configMapRef', 'secretRef'] as const).filter((k) => source[k]);
    for (const kind of refs) {
      const name = source[kind]?.name;
      if (!name) errs.push(fieldError.required(`${at}.${kind}.name`));
      else errs.push(...each(`${at}.${kind}.name`, name, isDNS1123Subdomain(name)));
    }
    if (refs.length === 0) errs.push(fieldError.invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (refs.length > 1) errs.push(fieldError.invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateVolumeMounts(mounts: readonly VolumeMount[] | undefined, volumes: ReadonlySet<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  (mounts ?? []).forEach((mount, i) => {
    const at = `${path}[${i}]`;
    if (!mount.name) errs.push(fieldError.required(`${at}.name`));
    else if (!volumes.has(mount.name)) errs.push(fieldError.notFound(`${at}.name`, mount.name));
    if (!mount.mountPath) errs.push(fieldError.required(`${at}.mountPath`));
    else if (mountPoints.has(mount.mountPath)) errs.push(fieldError.invalid(`${at}.mountPath`, mount.mountPath, 'must be unique'));
    mountPoints.add(mount.mountPath);
    if (mount.subPath) errs.push(...validateRelativePath(mount.subPath, `${at}.subPath`));
  });
  return errs;
}

/** Validates limits and requests, and that no request exceeds its limit. */
export function validateResourceRequirements(resources: ResourceRequirements | undefined, path: string): FieldError[] {
  if (!resources) return [];
  const limits = (resources.limits ?? {}) as ResourceList;
  const requests = (resources.requests ?? {}) as ResourceList;
  const errs = [...validateResourceList(limits, `${path}.limits`), ...validateResourceList(requests, `${path}.requests`)];
  for (const [name, value] of Object.entries(requests)) {
    const request = tryParseQuantity(String(value));
    const limitText = limits[name];
    const limit = limitText === undefined ? undefined : tryParseQuantity(String(limitText));
    if (request && limit && request.cmp(limit) > 0) {
      errs.push(fieldError.invalid(`${path}.requests`, request.toString(), `must be less than or equal to ${name} limit of ${limit.toString()}`));
    }
  }
  return errs;
}

function validateContainer(container: Container, volumes: ReadonlySet<string>, path: string, isPod: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!container.name) errs.push(fieldError.required(`${path}.name`));
  else errs.push(...each(`${path}.name`, container.name, isDNS1123Label(container.name)));
  if (!container.image) errs.push(fieldError.required(`${path}.image`));
  else if (isPod && container.image.trim() !== container.image) {
    errs.push(fieldError.invalid(`${path}.image`, container.image, 'must not have leading or trailing whitespace'));
  }
  if (container.lifecycle?.postStart) errs.push(...validateHandler(container.lifecycle.postStart, `${path}.lifecycle.postStart`));
  if (container.lifecycle?.preStop) errs.push(...validateHandler(container.lifecycle.preStop, `${path}.lifecycle.preStop`));
  errs.push(...validateProbe(container.livenessProbe, `${path}.livenessProbe`));
  if (container.livenessProbe && container.livenessProbe.successThreshold !== 1) {
    errs.push(fieldError.invalid(`${path}.livenessProbe.successThreshold`, container.livenessProbe.successThreshold, 'must be 1'));
  }
  errs.push(...validateProbe(container.readinessProbe, `${path}.readinessProbe`));
  errs.push(...validateProbe(container.startupProbe, `${path}.startupProbe`));
  if (container.startupProbe && container.startupProbe.successThreshold !== 1) {
    errs.push(fieldError.invalid(`${path}.startupProbe.successThreshold`, container.startupProbe.successThreshold, 'must be 1'));
  }
  const policy = container.terminationMessagePolicy;
  if (!policy) errs.push(fieldError.required(`${path}.terminationMessagePolicy`, "must be 'File' or 'FallbackToLogsOnError'"));
  else if (policy !== 'File' && policy !== 'FallbackToLogsOnError') {
    errs.push(fieldError.invalid(`${path}.terminationMessagePolicy`, policy, "must be 'File' or 'FallbackToLogsOnError'"));
  }
  errs.push(...validateContainerPorts(container.ports, `${path}.ports`));
  errs.push(...validateEnv(container.env, `${path}.env`));
  errs.push(...validateEnvFrom(container.envFrom, `${path}.envFrom`));
  errs.push(...validateVolumeMounts(container.volumeMounts, volumes, `${path}.volumeMounts`));
  errs.push(...oneOf(container.imagePullPolicy, ['Always', 'IfNotPresent', 'Never'], `${path}.imagePullPolicy`));
  errs.push(...validateResourceRequirements(container.resources, `${path}.resources`));
  return errs;
}

function validateTolerations(tolerations: readonly Toleration[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((toleration, i) => {
    const at = `${path}[${i}]`;
    if (toleration.key) errs.push(...validateLabelName(toleration.key, `${at}.key`));
    if (!toleration.key && toleration.operator !== 'Exists') {
      errs.push(fieldError.invalid(`${at}.operator`, toleration.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (toleration.tolerationSeconds !== undefined && toleration.tolerationSeconds !== null && toleration.effect !== 'NoExecute') {
      errs.push(fieldError.invalid(`${at}.effect`, toleration.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (!toleration.operator || toleration.operator === 'Equal') {
      const msgs = isValidLabelValue(toleration.value ?? '');
      if (msgs.length > 0) errs.push(fieldError.invalid(`${at}.operator`, toleration.value ?? '', msgs.join(';')));
    } else if (toleration.operator === 'Exists') {
      if (toleration.value) errs.push(fieldError.invalid(`${at}.operator`, toleration, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(fieldError.notSupported(`${at}.operator`, toleration.operator, ['Equal', 'Exists']));
    }
    if (toleration.effect) errs.push(...oneOf(toleration.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute'], `${at}.effect`));
  });
  return errs;
}

/** Options for `validatePodSpec`. */
export interface PodSpecValidationOptions {
  /** True for a Pod (adds the checks upstream applies to pods but not to templates). */
  isPod: boolean;
}

/** Validates a pod spec at `path` (`spec` for pods, `spec.template.spec` for workloads). */
export function validatePodSpec(spec: PodSpec | undefined, path: string, options: PodSpecValidationOptions): FieldError[] {
  if (!spec) return [fieldError.required(path)];
  const { errors, names } = validateVolumes(spec.volumes, `${path}.volumes`);
  const errs = [...errors];
  const containers = spec.containers ?? [];
  if (containers.length === 0) errs.push(fieldError.required(`${path}.containers`));
  const seen = new Set<string>();
  containers.forEach((container, i) => {
    const at = `${path}.containers[${i}]`;
    errs.push(...validateContainer(container, names, at, options.isPod));
    if (container.name && seen.has(container.name)) errs.push(fieldError.duplicate(`${at}.name`, container.name));
    seen.add(container.name);
  });
  (spec.initContainers ?? []).forEach((container, i) => {
    const at = `${path}.initContainers[${i}]`;
    errs.push(...validateContainer(container, names, at, options.isPod));
    if (container.name && seen.has(container.name)) errs.push(fieldError.duplicate(`${at}.name`, container.name));
    seen.add(container.name);
    if (container.restartPolicy !== 'Always') {
      for (const probe of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        if (container[probe]) errs.push(fieldError.forbidden(`${at}.${probe}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
    if (container.restartPolicy !== undefined && container.restartPolicy !== 'Always') {
      errs.push(fieldError.notSupported(`${at}.restartPolicy`, container.restartPolicy, ['Always']));
    }
  });
  errs.push(...oneOf(spec.restartPolicy, ['Always', 'OnFailure', 'Never'], `${path}.restartPolicy`));
  errs.push(...oneOf(spec.dnsPolicy, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'], `${path}.dnsPolicy`));
  errs.push(...validatePodDnsConfig(spec, path));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  const security = spec.securityContext;
  if (security) {
    for (const key of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
      const id = security[key];
      if (id !== undefined && id !== null) errs.push(...isValidUserOrGroupID(id).map((m) => fieldError.invalid(`${path}.securityContext.${key}`, id, m)));
    }
    (security.supplementalGroups ?? []).forEach((gid, g) => {
      errs.push(...isValidUserOrGroupID(gid).map((m) => fieldError.invalid(`${path}.securityContext.supplementalGroups[${g}]`, gid, m)));
    });
  }
  if (spec.hostNetwork) {
    containers.forEach((container, i) => {
      (container.ports ?? []).forEach((port, p) => {
        if (port.hostPort !== port.containerPort) {
          errs.push(fieldError.invalid(`${path}.containers[${i}].ports[${p}].containerPort`, port.containerPort, 'must match `hostPort` when `hostNetwork` is true'));
        }
      });
    });
  }
  for (const alias of spec.hostAliases ?? []) {
    errs.push(...each(`${path}.hostAliases.ip`, alias.ip ?? '', isValidIP(alias.ip ?? '')));
    for (const hostname of alias.hostnames ?? []) errs.push(...each(`${path}.hostAliases.hostnames`, hostname, isDNS1123Subdomain(hostname)));
  }
  (spec.imagePullSecrets ?? []).forEach((secret, i) => {
    if (Object.keys(secret).some((k) => k !== 'name')) errs.push(fieldError.invalid(`${path}.imagePullSecrets[${i}]`, secret, 'only name may be set'));
  });
  for (const key of ['serviceAccountName', 'nodeName', 'priorityClassName'] as const) {
    const value = spec[key];
    if (value) errs.push(...each(`${path}.${key}`, value, isDNS1123Subdomain(value)));
  }
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    errs.push(...isInRange(spec.activeDeadlineSeconds, 1, MAX_INT32).map((m) => fieldError.invalid(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, m)));
  }
  if (spec.hostname) errs.push(...each(`${path}.hostname`, spec.hostname, isDNS1123Label(spec.hostname)));
  if (spec.subdomain) errs.push(...each(`${path}.subdomain`, spec.subdomain, isDNS1123Label(spec.subdomain)));
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  if (spec.overhead) errs.push(...validateResourceList(spec.overhead as ResourceList, `${path}.overhead`));
  return errs;
}

/** The range message used for pod deadlines on update. */
export const ACTIVE_DEADLINE_UPDATE_RANGE = inclusiveRangeError(0, MAX_INT32);
