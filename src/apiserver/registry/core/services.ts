/**
 * Services (core/v1): defaults (ClusterIP, sessionAffinity None, ports TCP with
 * targetPort = port, traffic policies, IP family fields), validation of type,
 * ports, selector and external name, and the update rule that an assigned
 * cluster IP may not change. Allocation of cluster IPs and node ports lives
 * elsewhere; an update that omits them keeps the stored ones, as upstream does.
 */
import type { Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { goStringSlice, invalidRendered } from '../../../api/validation/goValue.js';
import { isInRange, isValidPortName, isValidPortNum } from '../../../api/validation/identifiers.js';
import { isValidCIDR, isValidIP } from '../../../api/validation/ip.js';
import { isQualifiedName, validateLabels } from '../../../api/validation/labels.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from '../../../api/validation/names.js';
import type { Strategy } from '../strategy.js';
import { statusSubresource } from '../statusSplit.js';
import { each, oneOf } from './podValidation.js';

const asService = (obj: KubeObject): Service => obj as unknown as Service;

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

/** True for NodePort and LoadBalancer services, and ClusterIP services with external IPs. */
export function externallyAccessible(spec: ServiceSpec): boolean {
  return (
    spec.type === 'LoadBalancer' ||
    spec.type === 'NodePort' ||
    (spec.type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0)
  );
}

/** True when the service type gets a cluster IP (everything but ExternalName). */
function needsClusterIP(spec: ServiceSpec | undefined): boolean {
  return spec?.type !== 'ExternalName';
}

/** Applies `SetDefaults_Service` and the IP-family defaults a single-stack IPv4 cluster gives. */
export function defaultServiceSpec(spec: ServiceSpec): void {
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  spec.type ||= 'ClusterIP';
  for (const port of spec.ports ?? []) {
    port.protocol ||= 'TCP';
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') {
      port.targetPort = port.port;
    }
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (!spec.internalTrafficPolicy && spec.type !== 'ExternalName') spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  if (spec.type !== 'ExternalName') {
    const headlessWithoutSelector = spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0;
    spec.ipFamilyPolicy ||= headlessWithoutSelector ? 'RequireDualStack' : 'SingleStack';
    if ((spec.ipFamilies ?? []).length === 0) spec.ipFamilies = ['IPv4'];
    if (spec.clusterIP && (spec.clusterIPs ?? []).length === 0) spec.clusterIPs = [spec.clusterIP];
  }
}

function validatePorts(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const ports = spec.ports ?? [];
  const headless = spec.clusterIP === 'None';
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(fieldError.required('spec.ports'));
  const names = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((port: ServicePort, i) => {
    const at = `spec.ports[${i}]`;
    if (ports.length > 1 && !port.name) errs.push(fieldError.required(`${at}.name`));
    else if (port.name) {
      errs.push(...each(`${at}.name`, port.name, isDNS1123Label(port.name)));
      if (names.has(port.name)) errs.push(fieldError.duplicate(`${at}.name`, port.name));
      names.add(port.name);
    }
    errs.push(...isValidPortNum(port.port).map((m) => fieldError.invalid(`${at}.port`, port.port, m)));
    errs.push(...oneOf(port.protocol, ['SCTP', 'TCP', 'UDP'], `${at}.protocol`));
    const target = port.targetPort;
    if (typeof target === 'number') errs.push(...isValidPortNum(target).map((m) => fieldError.invalid(`${at}.targetPort`, target, m)));
    else if (typeof target === 'string') errs.push(...each(`${at}.targetPort`, target, isValidPortName(target)));
    if (port.nodePort) {
      if (spec.type === 'ClusterIP') errs.push(fieldError.forbidden(`${at}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
      errs.push(...isValidPortNum(port.nodePort).map((m) => fieldError.invalid(`${at}.nodePort`, port.nodePort, m)));
    }
    if (port.appProtocol) {
      errs.push(...each(`${at}.appProtocol`, port.appProtocol, isQualifiedName(port.appProtocol)));
    }
    const key = `${port.protocol}/${port.port}`;
    if (keys.has(key)) errs.push(fieldError.duplicate(at, { port: port.port, protocol: port.protocol }));
    keys.add(key);
  });
  return errs;
}

function validateServiceSpec(spec: ServiceSpec | undefined): FieldError[] {
  if (!spec) return [fieldError.required('spec')];
  const errs: FieldError[] = [];
  errs.push(...oneOf(spec.type, SERVICE_TYPES, 'spec.type'));
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) errs.push(fieldError.required('spec.externalName'));
    else {
      const name = spec.externalName.endsWith('.') ? spec.externalName.slice(0, -1) : spec.externalName;
      errs.push(...each('spec.externalName', name, isDNS1123Subdomain(name)));
    }
    if (spec.clusterIP || (spec.clusterIPs ?? []).length > 0) {
      errs.push(fieldError.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    }
  } else {
    (spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])).forEach((ip, i) => {
      if (ip !== 'None' && ip !== '') errs.push(...each(`spec.clusterIPs[${i}]`, ip, isValidIP(ip)));
    });
    if (spec.clusterIP && spec.clusterIPs && spec.clusterIPs.length > 0 && spec.clusterIPs[0] !== spec.clusterIP) {
      errs.push(invalidRendered('spec.clusterIPs', goStringSlice(spec.clusterIPs), 'element [0] must match clusterIP'));
    }
    errs.push(...oneOf(spec.ipFamilyPolicy, ['PreferDualStack', 'RequireDualStack', 'SingleStack'], 'spec.ipFamilyPolicy', false));
    (spec.ipFamilies ?? []).forEach((family, i) => errs.push(...oneOf(family, ['IPv4', 'IPv6'], `spec.ipFamilies[${i}]`)));
  }
  errs.push(...validatePorts(spec));
  errs.push(...validateLabels(spec.selector, 'spec.selector'));
  errs.push(...oneOf(spec.sessionAffinity, ['ClientIP', 'None'], 'spec.sessionAffinity'));
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (spec.sessionAffinity === 'ClientIP' && timeout !== undefined) {
    errs.push(...isInRange(timeout, 1, 86400).map((m) => fieldError.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, m)));
  }
  if (spec.externalTrafficPolicy) {
    if (!externallyAccessible(spec)) {
      errs.push(fieldError.invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
    } else {
      errs.push(...oneOf(spec.externalTrafficPolicy, ['Cluster', 'Local'], 'spec.externalTrafficPolicy'));
    }
  }
  errs.push(...oneOf(spec.internalTrafficPolicy, ['Cluster', 'Local'], 'spec.internalTrafficPolicy', false));
  (spec.externalIPs ?? []).forEach((ip, i) => errs.push(...each(`spec.externalIPs[${i}]`, ip, isValidIP(ip))));
  if ((spec.loadBalancerSourceRanges ?? []).length > 0 && spec.type !== 'LoadBalancer') {
    errs.push(fieldError.forbidden('spec.loadBalancerSourceRanges', 'may only be used when `type` is \'LoadBalancer\''));
  }
  (spec.loadBalancerSourceRanges ?? []).forEach((cidr, i) => errs.push(...each(`spec.loadBalancerSourceRanges[${i}]`, cidr, isValidCIDR(cidr.trim()))));
  return errs;
}

/** Keeps allocated cluster IPs and node ports an update left out (upstream `patchAllocatedValues`). */
function keepAllocatedValues(next: ServiceSpec, prev: ServiceSpec): void {
  if (needsClusterIP(prev) && needsClusterIP(next)) {
    if (!next.clusterIP && prev.clusterIP) next.clusterIP = prev.clusterIP;
    if ((next.clusterIPs ?? []).length === 0 && prev.clusterIPs) next.clusterIPs = [...prev.clusterIPs];
  }
  const keepsNodePorts = (s: ServiceSpec): boolean => s.type === 'NodePort' || s.type === 'LoadBalancer';
  if (keepsNodePorts(prev) && keepsNodePorts(next)) {
    for (const port of next.ports ?? []) {
      if (port.nodePort) continue;
      const match = (prev.ports ?? []).find((p) => (port.name ? p.name === port.name : p.port === port.port) && p.protocol === port.protocol);
      if (match?.nodePort) port.nodePort = match.nodePort;
    }
    if (next.externalTrafficPolicy === 'Local' && prev.externalTrafficPolicy === 'Local' && !next.healthCheckNodePort) {
      next.healthCheckNodePort = prev.healthCheckNodePort;
    }
  }
}

function validateServiceUpdate(next: ServiceSpec | undefined, prev: ServiceSpec | undefined): FieldError[] {
  if (!next || !prev || !needsClusterIP(next) || !needsClusterIP(prev)) return [];
  const errs: FieldError[] = [];
  const oldIPs = prev.clusterIPs ?? [];
  const newIPs = next.clusterIPs ?? [];
  if (oldIPs.length > 0) {
    if (newIPs.length === 0) errs.push(invalidRendered('spec.clusterIPs[0]', goStringSlice(newIPs), 'primary clusterIP can not be unset'));
    else if (newIPs[0] !== oldIPs[0]) errs.push(invalidRendered('spec.clusterIPs[0]', goStringSlice(newIPs), 'may not change once set'));
  }
  const oldFamilies = prev.ipFamilies ?? [];
  const newFamilies = next.ipFamilies ?? [];
  if (oldFamilies.length > 0 && newFamilies.length > 0 && newFamilies[0] !== oldFamilies[0]) {
    errs.push(invalidRendered('spec.ipFamilies[0]', goStringSlice(newFamilies), 'may not change once set'));
  }
  return errs;
}

const split = statusSubresource({ initialStatus: () => ({ loadBalancer: {} }) });

/** Service names must be RFC 1035 labels; the strategy contract has no such rule, so `validate` adds it. */
function validateServiceName(service: Service): FieldError[] {
  const name = service.metadata?.name;
  if (!name || isDNS1123Label(name).length > 0) return [];
  return each('metadata.name', name, isDNS1035Label(name));
}

/** The services strategy. */
export const serviceStrategy: Strategy = {
  ...split,
  nameValidation: 'dns1123Label',
  applyDefaults(obj) {
    const spec = asService(obj).spec;
    if (spec) defaultServiceSpec(spec);
  },
  prepareForUpdate(obj, old) {
    split.prepareForUpdate(obj, old);
    const next = asService(obj).spec;
    const prev = asService(old).spec;
    if (next && prev) keepAllocatedValues(next, prev);
  },
  validate(obj) {
    return [...validateServiceName(asService(obj)), ...validateServiceSpec(asService(obj).spec)];
  },
  validateUpdate(obj, old) {
    return validateServiceUpdate(asService(obj).spec, asService(old).spec);
  },
};
