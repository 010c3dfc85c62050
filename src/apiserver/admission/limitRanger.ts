/**
 * The LimitRanger admission plugin, as upstream's, for new pods and claims in a
 * namespace with LimitRanges. Mutation: containers get the `default` limits and
 * `defaultRequest` requests of Container items they do not state themselves, noted in
 * the pod's `kubernetes.io/limit-ranger` annotation. Validation: `min`, `max` and
 * `maxLimitRequestRatio` of Container items per container, of Pod items over the pod's
 * totals, and `min`/`max` of PersistentVolumeClaim items over a claim's requests;
 * violations are refused with 403 and upstream's messages.
 */
import type { Container, LimitRange, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { parseQuantity, type Quantity } from '../../api/quantity.js';
import { podResourceTotals } from '../../api/quota/usage.js';
import { toQuantities, type Quantities } from '../../api/quota/resourceMath.js';
import { forbidden, type GroupResource } from '../../api/status.js';

/** The annotation recording which defaults LimitRanger set. */
export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

type Resources = Record<string, string>;

function applyDefaults(container: Container, limits: Resources, requests: Resources, kind: string): string[] {
  const resources = (container.resources ??= {});
  const setLimits: string[] = [];
  const setRequests: string[] = [];
  for (const [name, value] of Object.entries(limits)) {
    const own = (resources.limits ??= {});
    if (!(name in own)) {
      own[name] = value;
      setLimits.push(name);
    }
  }
  for (const [name, value] of Object.entries(requests)) {
    const own = (resources.requests ??= {});
    if (!(name in own)) {
      own[name] = value;
      setRequests.push(name);
    }
  }
  const notes: string[] = [];
  if (setRequests.length > 0) notes.push(`${setRequests.sort().join(', ')} request for ${kind} ${container.name}`);
  if (setLimits.length > 0) notes.push(`${setLimits.sort().join(', ')} limit for ${kind} ${container.name}`);
  return notes;
}

/** Sets a new pod's containers' defaults from one LimitRange's Container items. */
function defaultPod(pod: Pod, range: LimitRange): void {
  const limits: Resources = {};
  const requests: Resources = {};
  for (const item of range.spec?.limits ?? []) {
    if (item.type !== 'Container') continue;
    Object.assign(limits, item.default);
    Object.assign(requests, item.defaultRequest);
  }
  if (Object.keys(limits).length === 0 && Object.keys(requests).length === 0) return;
  const notes = [
    ...(pod.spec?.containers ?? []).flatMap((c) => applyDefaults(c, limits, requests, 'container')),
    ...(pod.spec?.initContainers ?? []).flatMap((c) => applyDefaults(c, limits, requests, 'init container')),
  ];
  if (notes.length === 0) return;
  const metadata = (pod.metadata ??= {});
  metadata.annotations = { ...metadata.annotations, [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
}

/** Compares as upstream does: in thousandths when all three fit, else in whole units (here: exactly). */
const cmp = (a: Quantity, b: Quantity): number => a.cmp(b);

function minConstraint(kind: string, name: string, enforced: Quantity, requests: Quantities, limits: Quantities): string | undefined {
  const request = requests.get(name);
  const limit = limits.get(name);
  if (request === undefined) return `minimum ${name} usage per ${kind} is ${enforced.toString()}.  No request is specified`;
  if (cmp(request, enforced) < 0) return `minimum ${name} usage per ${kind} is ${enforced.toString()}, but request is ${request.toString()}`;
  if (limit !== undefined && cmp(limit, enforced) < 0) return `minimum ${name} usage per ${kind} is ${enforced.toString()}, but limit is ${limit.toString()}`;
  return undefined;
}

function maxConstraint(kind: string, name: string, enforced: Quantity, requests: Quantities, limits: Quantities): string | undefined {
  const request = requests.get(name);
  const limit = limits.get(name);
  if (limit === undefined) return `maximum ${name} usage per ${kind} is ${enforced.toString()}.  No limit is specified`;
  if (cmp(limit, enforced) > 0) return `maximum ${name} usage per ${kind} is ${enforced.toString()}, but limit is ${limit.toString()}`;
  if (request !== undefined && cmp(request, enforced) > 0) return `maximum ${name} usage per ${kind} is ${enforced.toString()}, but request is ${request.toString()}`;
  return undefined;
}

function maxRequestConstraint(kind: string, name: string, enforced: Quantity, requests: Quantities): string | undefined {
  const request = requests.get(name);
  if (request === undefined) return `maximum ${name} usage per ${kind} is ${enforced.toString()}.  No request is specified`;
  if (cmp(request, enforced) > 0) return `maximum ${name} usage per ${kind} is ${enforced.toString()}, but request is ${request.toString()}`;
  return undefined;
}

/** Go's `%f`: six decimals. */
const goFloat = (n: number): string => n.toFixed(6);

function ratioConstraint(kind: string, name: string, enforced: Quantity, requests: Quantities, limits: Quantities): string | undefined {
  const request = requests.get(name);
  const limit = limits.get(name);
  if (request === undefined || request.isZero()) {
    return `${name} max limit to request ratio per ${kind} is ${enforced.toString()}, but no request is specified or request is 0`;
  }
  if (limit === undefined || limit.isZero()) {
    return `${name} max limit to request ratio per ${kind} is ${enforced.toString()}, but no limit is specified or limit is 0`;
  }
  const observed = limit.milliValue() / request.milliValue();
  if (observed * 1000 > enforced.milliValue()) {
    return `${name} max limit to request ratio per ${kind} is ${enforced.toString()}, but provided ratio is ${goFloat(observed)}`;
  }
  return undefined;
}

type ItemLists = { min?: Resources; max?: Resources; maxLimitRequestRatio?: Resources };

function sortedEntries(list: Resources | undefined): [string, Quantity][] {
  return Object.keys(list ?? {})
    .sort()
    .map((name) => [name, parseQuantity(String((list as Resources)[name]))]);
}

function checkItem(kind: string, item: ItemLists, requests: Quantities, limits: Quantities): string[] {
  return [
    ...sortedEntries(item.min).map(([name, q]) => minConstraint(kind, name, q, requests, limits)),
    ...sortedEntries(item.max).map(([name, q]) => maxConstraint(kind, name, q, requests, limits)),
    ...sortedEntries(item.maxLimitRequestRatio).map(([name, q]) => ratioConstraint(kind, name, q, requests, limits)),
  ].filter((e): e is string => e !== undefined);
}

function podViolations(pod: Pod, range: LimitRange): string[] {
  const errors: string[] = [];
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const item of range.spec?.limits ?? []) {
    if (item.type === 'Container') {
      for (const c of containers) errors.push(...checkItem('Container', item, toQuantities(c.resources?.requests), toQuantities(c.resources?.limits)));
    } else if (item.type === 'Pod') {
      const totals = podResourceTotals(pod);
      errors.push(...checkItem('Pod', item, totals.requests, totals.limits));
    }
  }
  return errors;
}

function claimViolations(pvc: PersistentVolumeClaim, range: LimitRange): string[] {
  const errors: string[] = [];
  const requests = toQuantities(pvc.spec?.resources?.requests);
  for (const item of range.spec?.limits ?? []) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [name, q] of sortedEntries(item.min)) {
      const e = minConstraint('PersistentVolumeClaim', name, q, requests, new Map());
      if (e !== undefined) errors.push(e);
    }
    for (const [name, q] of sortedEntries(item.max)) {
      const e = maxRequestConstraint('PersistentVolumeClaim', name, q, requests);
      if (e !== undefined) errors.push(e);
    }
  }
  return errors;
}

/** Whether LimitRanger looks at new objects of `gr`. */
export function limitRangerHandles(gr: GroupResource): boolean {
  return gr.group === '' && (gr.resource === 'pods' || gr.resource === 'persistentvolumeclaims');
}

/** The mutating half: defaults a new pod from `ranges` (its namespace's LimitRanges, in name order). */
export function defaultFromLimitRanges(gr: GroupResource, obj: KubeObject, ranges: readonly LimitRange[]): void {
  if (gr.group !== '' || gr.resource !== 'pods') return;
  for (const range of ranges) defaultPod(obj as unknown as Pod, range);
}

/** The validating half: throws upstream's 403 when `obj` breaks a constraint of `ranges`. */
export function validateAgainstLimitRanges(gr: GroupResource, obj: KubeObject, ranges: readonly LimitRange[]): void {
  if (!limitRangerHandles(gr)) return;
  const errors = ranges.flatMap((range) =>
    gr.resource === 'pods' ? podViolations(obj as unknown as Pod, range) : claimViolations(obj as unknown as PersistentVolumeClaim, range),
  );
  const unique = [...new Set(errors)];
  if (unique.length === 0) return;
  throw forbidden(gr, obj.metadata.name ?? '', unique.length === 1 ? (unique[0] as string) : `[${unique.join(', ')}]`);
}
