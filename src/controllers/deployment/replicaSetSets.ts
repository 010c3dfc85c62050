/**
 * Arithmetic over a deployment's ReplicaSets (upstream deployment util): which are
 * active, the sums of their spec and status counts, the orders the controller walks
 * them in, which one is new (its template equals the deployment's, ignoring
 * pod-template-hash) and which are old.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { DeploymentObject, ReplicaSetObject } from './objects.js';
import { specReplicas } from './objects.js';

/** The label that ties a ReplicaSet and its pods to one template (upstream `DefaultDeploymentUniqueLabelKey`). */
export const POD_TEMPLATE_HASH = 'pod-template-hash';

/** Upstream `FilterActiveReplicaSets`: those with replicas wanted. */
export function activeReplicaSets(sets: readonly (ReplicaSetObject | undefined)[]): ReplicaSetObject[] {
  return sets.filter((rs): rs is ReplicaSetObject => rs !== undefined && specReplicas(rs.spec) > 0);
}

const sum = (sets: readonly (ReplicaSetObject | undefined)[], count: (rs: ReplicaSetObject) => number | undefined): number =>
  sets.reduce((total, rs) => total + (rs === undefined ? 0 : (count(rs) ?? 0)), 0);

/** Sum of `spec.replicas`. */
export const specReplicaSum = (sets: readonly (ReplicaSetObject | undefined)[]): number => sum(sets, (rs) => specReplicas(rs.spec));
/** Sum of `status.replicas`. */
export const actualReplicaSum = (sets: readonly (ReplicaSetObject | undefined)[]): number => sum(sets, (rs) => rs.status?.replicas);
/** Sum of `status.readyReplicas`. */
export const readyReplicaSum = (sets: readonly (ReplicaSetObject | undefined)[]): number => sum(sets, (rs) => rs.status?.readyReplicas);
/** Sum of `status.availableReplicas`. */
export const availableReplicaSum = (sets: readonly (ReplicaSetObject | undefined)[]): number => sum(sets, (rs) => rs.status?.availableReplicas);

const created = (rs: ReplicaSetObject): number => Date.parse(rs.metadata.creationTimestamp ?? '') || 0;

/** Upstream `ReplicaSetsByCreationTimestamp`: oldest first, ties by name. */
export function byCreation(a: ReplicaSetObject, b: ReplicaSetObject): number {
  return created(a) - created(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** Upstream `ReplicaSetsBySizeNewer`: largest first, ties newest first. */
export function bySizeNewer(a: ReplicaSetObject, b: ReplicaSetObject): number {
  return specReplicas(b.spec) - specReplicas(a.spec) || byCreation(b, a);
}

/** Upstream `ReplicaSetsBySizeOlder`: largest first, ties oldest first. */
export function bySizeOlder(a: ReplicaSetObject, b: ReplicaSetObject): number {
  return specReplicas(b.spec) - specReplicas(a.spec) || byCreation(a, b);
}

/** A deep copy of `template` without the pod-template-hash label, in a canonical key order. */
export function templateWithoutHash(template: PodTemplateSpec | undefined): unknown {
  const copy = structuredClone(template ?? {});
  if (copy.metadata?.labels !== undefined) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  return canonical(copy);
}

/** True for what Go decoding would leave as a zero value: null, undefined, `{}` and `[]`. */
function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/**
 * `value` with object keys sorted at every depth and empty fields (null, `{}`, `[]`)
 * left out, so templates equal in meaning serialise alike whether a client sent
 * kubectl's `creationTimestamp: null` and `resources: {}` or left them out.
 */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .map(([k, v]): [string, unknown] => [k, canonical(v)])
    .filter(([, v]) => !isEmptyValue(v))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

/** Upstream `EqualIgnoreHash`: the two templates are equal apart from the pod-template-hash label. */
export function equalIgnoringHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return JSON.stringify(templateWithoutHash(a)) === JSON.stringify(templateWithoutHash(b));
}

/** Upstream `FindNewReplicaSet`: the oldest ReplicaSet whose template is the deployment's. */
export function findNewReplicaSet(deployment: DeploymentObject, sets: readonly ReplicaSetObject[]): ReplicaSetObject | undefined {
  return [...sets].sort(byCreation).find((rs) => equalIgnoringHash(rs.spec?.template, deployment.spec?.template));
}

/** Upstream `FindOldReplicaSets` (all of them): every ReplicaSet but the new one. */
export function findOldReplicaSets(deployment: DeploymentObject, sets: readonly ReplicaSetObject[]): ReplicaSetObject[] {
  const newRs = findNewReplicaSet(deployment, sets);
  return sets.filter((rs) => newRs === undefined || rs.metadata.uid !== newRs.metadata.uid);
}

/**
 * Upstream `FindActiveOrLatest`: the only ReplicaSet with replicas wanted, or when none
 * has, the new one (else the newest old one); undefined when several are active.
 */
export function findActiveOrLatest(newRs: ReplicaSetObject | undefined, oldSets: readonly ReplicaSetObject[]): ReplicaSetObject | undefined {
  if (newRs === undefined && oldSets.length === 0) return undefined;
  const newestFirst = [...oldSets].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRs]);
  if (active.length === 0) return newRs ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}
