/**
 * What the StatefulSet controller works on: apps/v1 StatefulSets, the labels it puts on
 * their pods, and the resources it reads and writes.
 */
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { LabelSelector as LabelSelectorObject } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import { labelSelectorFromObject } from '../../api/selectors/labelSelector.js';
import type { ReplicaKind } from '../replicaset/replicaKinds.js';

/** A StatefulSet as the informer caches it. */
export type StatefulSetObject = KubeObject & StatefulSet;

/** Upstream `StatefulSetPodNameLabel`: the pod's own name, for per-pod services. */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** Upstream `PodIndexLabel`: the pod's ordinal. */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** Upstream `StatefulSetRevisionLabel`: the name of the ControllerRevision the pod was made from. */
export const POD_REVISION_LABEL = 'controller-revision-hash';

export const STATEFUL_SETS = { group: 'apps', version: 'v1', resource: 'statefulsets' };
export const PODS = { group: '', version: 'v1', resource: 'pods' };
export const CLAIMS = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
export const REVISIONS = { group: 'apps', version: 'v1', resource: 'controllerrevisions' };

/** The StatefulSet as an owner of pods (for adoption and release). */
export const STATEFUL_SET_KIND: ReplicaKind = {
  controllerName: 'statefulset',
  target: STATEFUL_SETS,
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  selectorOf: (obj) => labelSelectorFromObject(obj.spec?.selector as LabelSelectorObject | undefined),
};
