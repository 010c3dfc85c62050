/**
 * The two resources the replica controller manages: apps/v1 ReplicaSets (a
 * `metav1.LabelSelector`) and v1 ReplicationControllers (a plain label map). Both
 * have the same spec (replicas, minReadySeconds, template) and status shape.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector as LabelSelectorObject } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import { labelSelectorFromObject, labelSelectorFromSet } from '../../api/selectors/labelSelector.js';
import type { LabelSelector } from '../../api/selectors/labelSelector.js';
import type { ResourceTarget } from '../../client/index.js';

/** A ReplicaSet/ReplicationController condition. */
export interface ReplicaCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** The status both kinds report. */
export interface ReplicaStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaCondition[];
}

/** A ReplicaSet or ReplicationController as the informer caches it. */
export interface ReplicatedObject extends KubeObject {
  spec?: { replicas?: number; minReadySeconds?: number; selector?: unknown; template?: PodTemplateSpec };
  status?: ReplicaStatus;
}

/** How one of the two kinds is reached and how its selector reads. */
export interface ReplicaKind {
  /** Upstream controller name. */
  controllerName: string;
  target: ResourceTarget;
  apiVersion: string;
  kind: string;
  /** The pod selector of `obj`; throws when it is invalid. */
  selectorOf(obj: ReplicatedObject): LabelSelector;
}

/** apps/v1 ReplicaSet. */
export const REPLICA_SET: ReplicaKind = {
  controllerName: 'replicaset',
  target: { group: 'apps', version: 'v1', resource: 'replicasets' },
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  selectorOf: (obj) => labelSelectorFromObject(obj.spec?.selector as LabelSelectorObject | undefined),
};

/** v1 ReplicationController. */
export const REPLICATION_CONTROLLER: ReplicaKind = {
  controllerName: 'replicationcontroller',
  target: { group: '', version: 'v1', resource: 'replicationcontrollers' },
  apiVersion: 'v1',
  kind: 'ReplicationController',
  selectorOf: (obj) => labelSelectorFromSet(obj.spec?.selector as Record<string, string> | undefined),
};
