/**
 * What the DaemonSet controller works on: apps/v1 DaemonSets, Nodes, the labels it
 * puts on its pods, and the resources it reads and writes.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { LabelSelector as LabelSelectorObject } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import { labelSelectorFromObject } from '../../api/selectors/labelSelector.js';
import type { ReplicaKind } from '../replicaset/replicaKinds.js';

/** A DaemonSet as the informer caches it. */
export type DaemonSetObject = KubeObject & DaemonSet;
/** A Node as the informer caches it. */
export type NodeObject = KubeObject & Node;

/** Upstream `DaemonSetTemplateGenerationKey` (deprecated, still written): the set's generation a pod was made at. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

export const DAEMON_SETS = { group: 'apps', version: 'v1', resource: 'daemonsets' };
export const NODES = { group: '', version: 'v1', resource: 'nodes' };
export const PODS = { group: '', version: 'v1', resource: 'pods' };
export const REVISIONS = { group: 'apps', version: 'v1', resource: 'controllerrevisions' };

/** The DaemonSet as an owner of pods (for adoption and release). */
export const DAEMON_SET_KIND: ReplicaKind = {
  controllerName: 'daemonset',
  target: DAEMON_SETS,
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  selectorOf: (obj) => labelSelectorFromObject(obj.spec?.selector as LabelSelectorObject | undefined),
};
