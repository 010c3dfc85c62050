/**
 * What one object costs a ResourceQuota, as upstream's quota evaluators count it:
 * every object counts as `count/<resource>[.<group>]` (and under its legacy name for
 * the core kinds that have one); pods add their compute requests and limits while they
 * are not terminal; services count node ports and load balancers; claims count the
 * storage they request, also per storage class.
 */
import type { Container, PersistentVolumeClaim, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../object.js';
import { Quantity, parseQuantity, type QuantityFormat } from '../quantity.js';
import { podLimit, podRequest } from '../podResources.js';
import { countOf, type Quantities } from './resourceMath.js';

/** A resource as quota names it. */
export interface QuotaResource {
  group: string;
  resource: string;
}

/** Core resources quota also counts under their bare name (`pods`, `secrets`, …). */
const LEGACY_COUNT_NAMES = new Set(['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims']);

/** Resource names the pod evaluator understands besides prefixed ones. */
const POD_RESOURCES = new Set([
  'pods',
  'count/pods',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
]);

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';

/** The object-count name of a resource: `count/pods`, `count/deployments.apps`. */
export function objectCountName(r: QuotaResource): string {
  return r.group === '' ? `count/${r.resource}` : `count/${r.resource}.${r.group}`;
}

const isPods = (r: QuotaResource): boolean => r.group === '' && r.resource === 'pods';
const isCore = (r: QuotaResource, name: string): boolean => r.group === '' && r.resource === name;

/** Of `names` (a quota's hard resources), those an object of `r` is charged for (upstream `MatchingResources`). */
export function matchingResources(r: QuotaResource, names: Iterable<string>): string[] {
  const tracked = (name: string): boolean => {
    if (name === objectCountName(r)) return true;
    if (r.group === '' && LEGACY_COUNT_NAMES.has(r.resource) && name === r.resource) return true;
    if (isPods(r)) return POD_RESOURCES.has(name) || name.startsWith('hugepages-') || name.startsWith('requests.');
    if (isCore(r, 'services')) return name === 'services.nodeports' || name === 'services.loadbalancers';
    if (isCore(r, 'persistentvolumeclaims')) {
      return name === 'requests.storage' || (name.includes(STORAGE_CLASS_SUFFIX) && /\/(requests\.storage|persistentvolumeclaims)$/.test(name));
    }
    return false;
  };
  return [...names].filter(tracked).sort();
}

/** Upstream `QuotaV1Pod`: terminal pods and pods past their deletion grace no longer use compute quota. */
export function podChargesCompute(pod: Pod & KubeObject, now: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const deletion = pod.metadata.deletionTimestamp;
  const grace = pod.metadata.deletionGracePeriodSeconds;
  if (deletion !== undefined && grace !== undefined && now > Date.parse(deletion) + grace * 1000) return false;
  return true;
}

function containersOf(pod: Pod): Container[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
}

/** The format the pod wrote `name` in first (sums keep it, as upstream's quantity arithmetic does). */
function formatOf(pod: Pod, name: string): QuantityFormat {
  for (const c of containersOf(pod)) {
    const raw = c.resources?.requests?.[name] ?? c.resources?.limits?.[name];
    if (raw !== undefined) return parseQuantity(String(raw)).format;
  }
  return 'DecimalSI';
}

function asQuantity(pod: Pod, name: string, amount: number): Quantity {
  return name === 'cpu' ? Quantity.fromMilli(amount) : Quantity.fromInteger(amount, formatOf(pod, name));
}

/** Resource names some container (or the overhead) requests, and names some container limits. */
function requestedNames(pod: Pod): { requests: Set<string>; limits: Set<string> } {
  const requests = new Set<string>(Object.keys(pod.spec?.overhead ?? {}));
  const limits = new Set<string>();
  for (const c of containersOf(pod)) {
    for (const name of Object.keys(c.resources?.requests ?? {})) requests.add(name);
    for (const name of Object.keys(c.resources?.limits ?? {})) {
      requests.add(name);
      limits.add(name);
    }
  }
  return { requests, limits };
}

/**
 * A pod's effective requests and limits (upstream `PodRequests` / `PodLimits`): a name
 * is present when some container (or the overhead) states it.
 */
export function podResourceTotals(pod: Pod): { requests: Quantities; limits: Quantities } {
  const { requests, limits } = requestedNames(pod);
  return {
    requests: new Map([...requests].map((name) => [name, asQuantity(pod, name, podRequest(pod, name))])),
    limits: new Map([...limits].map((name) => [name, asQuantity(pod, name, podLimit(pod, name))])),
  };
}

/** The compute part of a pod's usage (upstream `podComputeUsageHelper`). */
function podComputeUsage(pod: Pod): Quantities {
  const usage: Quantities = new Map([['pods', countOf(1)]]);
  const totals = podResourceTotals(pod);
  for (const [name, amount] of totals.requests) {
    if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-')) usage.set(name, amount);
    usage.set(`requests.${name}`, amount);
  }
  for (const [name, amount] of totals.limits) {
    if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage') usage.set(`limits.${name}`, amount);
  }
  return usage;
}

function serviceUsage(svc: Service): Quantities {
  const ports = countOf((svc.spec?.ports ?? []).length);
  const usage: Quantities = new Map([
    ['services', countOf(1)],
    ['services.loadbalancers', countOf(0)],
    ['services.nodeports', countOf(0)],
  ]);
  if (svc.spec?.type === 'NodePort') usage.set('services.nodeports', ports);
  if (svc.spec?.type === 'LoadBalancer') {
    if (svc.spec.allocateLoadBalancerNodePorts !== false) usage.set('services.nodeports', ports);
    usage.set('services.loadbalancers', countOf(1));
  }
  return usage;
}

function claimUsage(pvc: PersistentVolumeClaim): Quantities {
  const usage: Quantities = new Map([['persistentvolumeclaims', countOf(1)]]);
  const storageClass = pvc.spec?.storageClassName ?? pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
  if (storageClass !== '') usage.set(`${storageClass}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`, countOf(1));
  const requested = pvc.spec?.resources?.requests?.storage;
  const allocated = pvc.status?.allocatedResources?.storage;
  const sizes = [requested, allocated].filter((v) => v !== undefined).map((v) => parseQuantity(String(v)));
  if (sizes.length > 0) {
    const largest = sizes.reduce((a, b) => (b.cmp(a) > 0 ? b : a));
    usage.set('requests.storage', largest);
    if (storageClass !== '') usage.set(`${storageClass}${STORAGE_CLASS_SUFFIX}requests.storage`, largest);
  }
  return usage;
}

/** Everything `obj` (a `r`) is charged for at `now` (ms), unmasked (upstream evaluator `Usage`). */
export function usageOf(r: QuotaResource, obj: KubeObject, now: number): Quantities {
  const usage: Quantities = new Map([[objectCountName(r), countOf(1)]]);
  if (r.group === '' && LEGACY_COUNT_NAMES.has(r.resource) && r.resource !== 'pods') usage.set(r.resource, countOf(1));
  if (isPods(r)) {
    const pod = obj as KubeObject & Pod;
    if (podChargesCompute(pod, now)) for (const [name, q] of podComputeUsage(pod)) usage.set(name, q);
  } else if (isCore(r, 'services')) {
    for (const [name, q] of serviceUsage(obj as unknown as Service)) usage.set(name, q);
  } else if (isCore(r, 'persistentvolumeclaims')) {
    for (const [name, q] of claimUsage(obj as unknown as PersistentVolumeClaim)) usage.set(name, q);
  }
  return usage;
}

/** Upstream's quota-tracked compute names every container must state when a quota limits them. */
const CONSTRAINED = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

function containerComputeNames(c: Container): Set<string> {
  const names = new Set<string>();
  for (const name of ['cpu', 'memory']) {
    if (c.resources?.requests?.[name] !== undefined) names.add(name).add(`requests.${name}`);
    if (c.resources?.limits?.[name] !== undefined) names.add(`limits.${name}`);
  }
  return names;
}

/**
 * Upstream's pod `Constraints`: when a quota limits cpu or memory, every container
 * must state them. Returns `must specify limits.cpu for: c; requests.memory for: a,b`,
 * or undefined when nothing is missing.
 */
export function podConstraintFailure(restricted: readonly string[], pod: Pod): string | undefined {
  const required = restricted.filter((name) => CONSTRAINED.has(name));
  const missing = new Map<string, Set<string>>();
  for (const c of containersOf(pod)) {
    const has = containerComputeNames(c);
    for (const name of required) if (!has.has(name)) missing.set(name, (missing.get(name) ?? new Set()).add(c.name));
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()].sort().map((name) => `${name} for: ${[...(missing.get(name) as Set<string>)].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}
