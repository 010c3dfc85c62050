/**
 * The two kinds the Deployment controller reads and writes, as its informers cache
 * them, and where they live in the API.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceTarget } from '../../client/index.js';

/** A Deployment as the informer caches it. */
export type DeploymentObject = KubeObject & Deployment;

/** A ReplicaSet as the informer caches it. */
export type ReplicaSetObject = KubeObject & ReplicaSet;

/** apps/v1 deployments, in `namespace` when given. */
export const deploymentsIn = (namespace?: string): ResourceTarget => ({ group: 'apps', version: 'v1', resource: 'deployments', namespace });

/** apps/v1 replicasets, in `namespace` when given. */
export const replicaSetsIn = (namespace?: string): ResourceTarget => ({ group: 'apps', version: 'v1', resource: 'replicasets', namespace });

/** `spec.replicas` of a Deployment or ReplicaSet (defaulted by the API to 1 when absent). */
export const specReplicas = (spec: { replicas?: number } | undefined): number => spec?.replicas ?? 1;
