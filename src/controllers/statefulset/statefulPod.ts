/**
 * The identity of a StatefulSet's pods (upstream `stateful_set_utils.go`): pod
 * `<set>-<ordinal>` with hostname its name and subdomain the set's serviceName, labels
 * naming the pod and its index, the revision it was made from, and one PVC
 * `<template>-<set>-<ordinal>` per volumeClaimTemplate mounted in place of any
 * template volume of the same name.
 */
import type { PersistentVolumeClaim, Volume } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { PodObject } from '../replicaset/podState.js';
import { POD_INDEX_LABEL, POD_NAME_LABEL, POD_REVISION_LABEL } from './statefulSetKind.js';
import type { StatefulSetObject } from './statefulSetKind.js';

/** A PVC as the informer caches it. */
export type ClaimObject = KubeObject & PersistentVolumeClaim;

const ORDINAL_NAME = /^(.*)-(\d+)$/;

/** The ordinal of a pod named `<parent>-<ordinal>`, with its parent; undefined for other names. */
export function parseStatefulPodName(name: string): { parent: string; ordinal: number } | undefined {
  const match = ORDINAL_NAME.exec(name);
  if (match === null) return undefined;
  const ordinal = Number(match[2]);
  return Number.isSafeInteger(ordinal) ? { parent: match[1] ?? '', ordinal } : undefined;
}

/** The ordinal of `pod` in `set`, or undefined when its name does not make it a member. */
export function ordinalIn(set: StatefulSetObject, pod: PodObject): number | undefined {
  const parsed = parseStatefulPodName(pod.metadata.name ?? '');
  return parsed !== undefined && parsed.parent === set.metadata.name ? parsed.ordinal : undefined;
}

/** The first ordinal of `set` (spec.ordinals.start). */
export function startOrdinal(set: StatefulSetObject): number {
  return set.spec?.ordinals?.start ?? 0;
}

/** One past the last ordinal `set` wants. */
export function endOrdinal(set: StatefulSetObject): number {
  return startOrdinal(set) + (set.spec?.replicas ?? 1);
}

/** The name of the pod with `ordinal`. */
export function statefulPodName(set: StatefulSetObject, ordinal: number): string {
  return `${set.metadata.name ?? ''}-${ordinal}`;
}

/** The name of the claim from `template` for the pod with `ordinal`. */
export function claimName(set: StatefulSetObject, template: string, ordinal: number): string {
  return `${template}-${set.metadata.name ?? ''}-${ordinal}`;
}

/** The ControllerRevision name a pod was made from ('' when unlabelled). */
export function podRevision(pod: PodObject): string {
  return pod.metadata.labels?.[POD_REVISION_LABEL] ?? '';
}

/** The claims the pod with `ordinal` uses, one per volumeClaimTemplate, in template order. */
export function claimsFor(set: StatefulSetObject, ordinal: number): ClaimObject[] {
  const selectorLabels = set.spec?.selector?.matchLabels ?? {};
  return (set.spec?.volumeClaimTemplates ?? []).map((template) => {
    const { status: _status, ...copy } = structuredClone(template);
    const claim: ClaimObject = {
      ...copy,
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        ...copy.metadata,
        name: claimName(set, template.metadata?.name ?? '', ordinal),
        namespace: set.metadata.namespace,
        labels: { ...template.metadata?.labels, ...selectorLabels },
      },
    };
    return claim;
  });
}

function claimVolumes(set: StatefulSetObject, ordinal: number): Volume[] {
  return (set.spec?.volumeClaimTemplates ?? []).map((template) => ({
    name: template.metadata?.name ?? '',
    persistentVolumeClaim: { claimName: claimName(set, template.metadata?.name ?? '', ordinal) },
  }));
}

/** The pod with `ordinal` made from `set`'s template (the template of revision `revision`). */
export function newStatefulPod(set: StatefulSetObject, ordinal: number, revision: string, controllerRef: OwnerReference): PodObject {
  const template = set.spec?.template ?? {};
  const name = statefulPodName(set, ordinal);
  const metadata: PodObject['metadata'] = {
    name,
    namespace: set.metadata.namespace,
    labels: { ...template.metadata?.labels, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [POD_REVISION_LABEL]: revision },
    annotations: { ...template.metadata?.annotations },
    ownerReferences: [controllerRef],
  };
  if (template.metadata?.finalizers !== undefined) metadata.finalizers = [...template.metadata.finalizers];
  const spec = structuredClone(template.spec ?? { containers: [] });
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  const claims = claimVolumes(set, ordinal);
  const claimed = new Set(claims.map((volume) => volume.name));
  const volumes = [...claims, ...(spec.volumes ?? []).filter((volume) => !claimed.has(volume.name))];
  if (volumes.length > 0) spec.volumes = volumes;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

/** Upstream `identityMatches`: the pod's name, namespace and name label fit its ordinal in `set`. */
export function identityMatches(set: StatefulSetObject, pod: PodObject): boolean {
  const ordinal = ordinalIn(set, pod);
  return (
    ordinal !== undefined &&
    pod.metadata.namespace === set.metadata.namespace &&
    pod.metadata.labels?.[POD_NAME_LABEL] === pod.metadata.name &&
    pod.metadata.labels?.[POD_INDEX_LABEL] === String(ordinal)
  );
}

/** The labels that restore `pod`'s identity in `set` (a merge patch of metadata.labels). */
export function identityLabels(set: StatefulSetObject, pod: PodObject): Record<string, string> {
  const ordinal = ordinalIn(set, pod) ?? 0;
  return { [POD_NAME_LABEL]: statefulPodName(set, ordinal), [POD_INDEX_LABEL]: String(ordinal) };
}
