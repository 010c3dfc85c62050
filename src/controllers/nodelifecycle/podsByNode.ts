/**
 * The shared pod informer with a `spec.nodeName` index, as the node controllers
 * (node lifecycle, taint eviction, pod GC) use it: whichever asks first adds the index.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { InformerFactory, ResourceTarget, SharedInformer } from '../../client/index.js';

/** A Pod as the client reads it. */
export type PodObject = KubeObject & Pod;

/** The pods resource. */
export const PODS: ResourceTarget = { group: '', version: 'v1', resource: 'pods' };

/** The index of pods by the node they are bound to. */
export const POD_NODE_INDEX = 'spec.nodeName';

function nodeNameOf(pod: PodObject): readonly string[] {
  const node = pod.spec?.nodeName;
  return node === undefined || node === '' ? [] : [node];
}

/** The pod informer of `informers`, indexed by node name under POD_NODE_INDEX. */
export function podsByNodeInformer(informers: InformerFactory): SharedInformer<PodObject> {
  const informer = informers.informerFor<PodObject>(PODS);
  try {
    informer.indexer.indexValues(POD_NODE_INDEX);
  } catch {
    informer.indexer.addIndexers({ [POD_NODE_INDEX]: nodeNameOf });
  }
  return informer;
}

/** The pods bound to node `nodeName` in `informer`'s cache. */
export function podsOnNode(informer: SharedInformer<PodObject>, nodeName: string): PodObject[] {
  return informer.indexer.byIndex(POD_NODE_INDEX, nodeName);
}
