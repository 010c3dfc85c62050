/**
 * The pods a DaemonSet makes (upstream `CreatePodTemplate`, `AddOrUpdateDaemonPodTolerations`
 * and `ReplaceDaemonSetPodNodeNameNodeAffinity`): the template with the set's revision
 * hash and generation labels, upstream's default tolerations (so node conditions do not
 * evict or block daemons) and a required node affinity naming the one node the pod is
 * for, which the scheduler honours when it binds the pod.
 */
import type { Affinity, PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { PodObject } from '../replicaset/podState.js';
import { REVISION_HASH_LABEL } from '../history/revisions.js';
import { TEMPLATE_GENERATION_LABEL } from './daemonSetKind.js';
import type { DaemonSetObject } from './daemonSetKind.js';

const NODE_NAME_FIELD = 'metadata.name';
const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** Upstream's default DaemonSet tolerations, in the order it adds them. */
export function defaultDaemonTolerations(hostNetwork: boolean): Toleration[] {
  const tolerate = (key: string, effect: string): Toleration => ({ key: `node.kubernetes.io/${key}`, operator: 'Exists', effect });
  const tolerations = [
    tolerate('not-ready', 'NoExecute'),
    tolerate('unreachable', 'NoExecute'),
    tolerate('disk-pressure', 'NoSchedule'),
    tolerate('memory-pressure', 'NoSchedule'),
    tolerate('pid-pressure', 'NoSchedule'),
    tolerate('unschedulable', 'NoSchedule'),
  ];
  if (hostNetwork) tolerations.push(tolerate('network-unavailable', 'NoSchedule'));
  return tolerations;
}

const sameToleration = (a: Toleration, b: Toleration): boolean =>
  (a.key ?? '') === (b.key ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');

/** `tolerations` with each of `added` in place of the one it matches (key, operator, value, effect), or appended. */
export function withTolerations(tolerations: readonly Toleration[], added: readonly Toleration[]): Toleration[] {
  const result = [...tolerations];
  for (const toleration of added) {
    const index = result.findIndex((existing) => sameToleration(existing, toleration));
    if (index >= 0) result[index] = toleration;
    else result.push(toleration);
  }
  return result;
}

/** The template's pod spec with the default tolerations (what eligibility is judged on). */
export function daemonPodSpec(ds: DaemonSetObject): PodSpec {
  const spec = structuredClone(ds.spec?.template.spec ?? { containers: [] });
  spec.tolerations = withTolerations(spec.tolerations ?? [], defaultDaemonTolerations(spec.hostNetwork === true));
  return spec;
}

/** `affinity` with its required node terms replaced by one naming `nodeName`. */
export function affinityForNode(affinity: Affinity | undefined, nodeName: string): Affinity {
  const result = structuredClone(affinity ?? {});
  const nodeAffinity = (result.nodeAffinity ??= {});
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchFields: [{ key: NODE_NAME_FIELD, operator: 'In', values: [nodeName] }] }] };
  return result;
}

/** The set's template generation (upstream's `deprecated.daemonset.template.generation` annotation), if the API server keeps one. */
export function templateGeneration(ds: DaemonSetObject): string | undefined {
  return ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
}

/** Upstream `IsPodUpdated`: the pod carries the set's current revision hash (or template generation). */
export function isPodUpdated(ds: DaemonSetObject, pod: PodObject, hash: string): boolean {
  const generation = templateGeneration(ds);
  const labels = pod.metadata.labels ?? {};
  return (hash !== '' && labels[REVISION_HASH_LABEL] === hash) || (generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === generation);
}

/** The node a daemon pod is for: its nodeName, else the single node its required affinity names. */
export function targetNodeOf(pod: PodObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const field of term.matchFields ?? []) {
      if (field.key === NODE_NAME_FIELD && field.operator === 'In' && field.values?.length === 1) return field.values[0];
    }
  }
  return undefined;
}

/** The pod `ds` runs on `nodeName`, made from its template at revision hash `hash`. */
export function newDaemonPod(ds: DaemonSetObject, nodeName: string, hash: string, controllerRef: OwnerReference): PodObject {
  const template = ds.spec?.template ?? { spec: { containers: [] } };
  const spec = daemonPodSpec(ds);
  spec.affinity = affinityForNode(spec.affinity, nodeName);
  const metadata: PodObject['metadata'] = {
    generateName: `${ds.metadata.name ?? ''}-`,
    namespace: ds.metadata.namespace,
    labels: { ...template.metadata?.labels, [REVISION_HASH_LABEL]: hash },
    annotations: { ...template.metadata?.annotations },
    ownerReferences: [controllerRef],
  };
  const generation = templateGeneration(ds);
  if (generation !== undefined) metadata.labels = { ...metadata.labels, [TEMPLATE_GENERATION_LABEL]: generation };
  if (template.metadata?.finalizers !== undefined) metadata.finalizers = [...template.metadata.finalizers];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}
