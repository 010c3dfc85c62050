/**
 * The expected number of pods behind a budget (upstream `getExpectedScale`): the sum of
 * the scales of the controllers of its pods, found through their controller
 * ownerReferences: a ReplicaSet (or, when a Deployment controls it, the Deployment), a
 * ReplicationController, a StatefulSet, or any other kind with a scale subresource.
 * Pods without a controller are not counted (upstream warns about them); a controller
 * that cannot be found fails the sync.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import { RESOURCES } from '../../api/resources.js';
import { isStatusReason } from '../../api/status.js';
import type { RestClient, SharedInformer } from '../../client/index.js';
import type { PodObject } from '../replicaset/podState.js';
import { controllerRefOf } from '../replicaset/podOwnership.js';

/** A workload with a replica count. */
export type ScaledObject = KubeObject & { spec?: { replicas?: number } };

/** The listers the finder reads, by kind. */
export interface ScaleSources {
  replicaSets: SharedInformer<ScaledObject>;
  deployments: SharedInformer<ScaledObject>;
  statefulSets: SharedInformer<ScaledObject>;
  replicationControllers: SharedInformer<ScaledObject>;
  /** For other kinds: reads their scale subresource. */
  client: RestClient;
}

interface ControllerScale {
  uid: string;
  replicas: number;
}

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '');

function fromLister(informer: SharedInformer<ScaledObject>, ref: OwnerReference, namespace: string): ScaledObject | undefined {
  const found = informer.lister.get(ref.name, namespace);
  return found?.metadata.uid === ref.uid ? found : undefined;
}

const scaleOf = (obj: ScaledObject): ControllerScale => ({ uid: obj.metadata.uid ?? '', replicas: obj.spec?.replicas ?? 1 });

async function viaScaleSubresource(client: RestClient, ref: OwnerReference, namespace: string, signal?: AbortSignal): Promise<ControllerScale | undefined> {
  const group = groupOf(ref.apiVersion);
  const info = RESOURCES.find((r) => r.group === group && r.kind === ref.kind && r.subresources.some((s) => s.name === 'scale'));
  if (info === undefined) return undefined;
  try {
    const scale = await client.get<KubeObject & { spec?: { replicas?: number } }>({ group, version: info.version, resource: info.resource, namespace }, ref.name, { subresource: 'scale', signal });
    return scale.metadata.uid === ref.uid ? { uid: ref.uid, replicas: scale.spec?.replicas ?? 0 } : undefined;
  } catch (err) {
    if (isStatusReason(err, 'NotFound')) return undefined;
    throw err;
  }
}

async function findController(sources: ScaleSources, ref: OwnerReference, namespace: string, signal?: AbortSignal): Promise<ControllerScale | undefined> {
  const group = groupOf(ref.apiVersion);
  if (ref.kind === 'ReplicaSet' && group === 'apps') {
    const rs = fromLister(sources.replicaSets, ref, namespace);
    if (rs === undefined) return undefined;
    const owner = rs.metadata.ownerReferences?.find((r) => r.controller === true);
    if (owner?.kind !== 'Deployment') return scaleOf(rs);
    const deployment = fromLister(sources.deployments, owner, namespace);
    return deployment === undefined ? undefined : scaleOf(deployment);
  }
  if (ref.kind === 'ReplicationController' && group === '') {
    const rc = fromLister(sources.replicationControllers, ref, namespace);
    return rc === undefined ? undefined : scaleOf(rc);
  }
  if (ref.kind === 'StatefulSet' && group === 'apps') {
    const sts = fromLister(sources.statefulSets, ref, namespace);
    return sts === undefined ? undefined : scaleOf(sts);
  }
  return viaScaleSubresource(sources.client, ref, namespace, signal);
}

/** The summed scale of the controllers of `pods`, and the names of pods without a controller. */
export async function expectedScale(sources: ScaleSources, pods: readonly PodObject[], signal?: AbortSignal): Promise<{ expected: number; unmanaged: string[] }> {
  const scales = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = controllerRefOf(pod);
    if (ref === undefined) {
      unmanaged.push(pod.metadata.name ?? '');
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const found = await findController(sources, ref, pod.metadata.namespace ?? '', signal);
    if (found === undefined) throw new Error(`found no controllers for pod "${pod.metadata.name ?? ''}"`);
    scales.set(found.uid, found.replicas);
  }
  return { expected: [...scales.values()].reduce((a, b) => a + b, 0), unmanaged };
}
