/**
 * The strategy of every served resource, by storage group and resource
 * (`strategyFor('apps', 'deployments')`). events.k8s.io/v1 events share the
 * core/v1 event storage and are handed to hooks in core/v1 shape, so both
 * groups map to the core event strategy.
 */
import { RESOURCES } from '../../api/resources.js';
import { controllerRevisionStrategy } from './apps/controllerrevisions.js';
import { daemonSetStrategy } from './apps/daemonsets.js';
import { deploymentStrategy } from './apps/deployments.js';
import { replicaSetStrategy } from './apps/replicasets.js';
import { statefulSetStrategy } from './apps/statefulsets.js';
import { selfSubjectReviewStrategy, tokenReviewStrategy } from './authentication/reviews.js';
import { bindingStrategy } from './core/bindings.js';
import {
  selfSubjectAccessReviewStrategy,
  selfSubjectRulesReviewStrategy,
  subjectAccessReviewStrategy,
} from './authorization/reviews.js';
import { cronJobStrategy } from './batch/cronjobs.js';
import { jobStrategy } from './batch/jobs.js';
import { leaseStrategy } from './coordination/leases.js';
import { configMapStrategy } from './core/configmaps.js';
import { endpointsStrategy } from './core/endpoints.js';
import { eventStrategy } from './core/events.js';
import { limitRangeStrategy } from './core/limitranges.js';
import { namespaceStrategy } from './core/namespaces.js';
import { nodeStrategy } from './core/nodes.js';
import { persistentVolumeClaimStrategy } from './core/persistentvolumeclaims.js';
import { persistentVolumeStrategy } from './core/persistentvolumes.js';
import { podStrategy } from './core/pods.js';
import { replicationControllerStrategy } from './core/replicationcontrollers.js';
import { resourceQuotaStrategy } from './core/resourcequotas.js';
import { secretStrategy } from './core/secrets.js';
import { serviceAccountStrategy } from './core/serviceaccounts.js';
import { serviceStrategy } from './core/services.js';
import { endpointSliceStrategy } from './discovery/endpointslices.js';
import { podDisruptionBudgetStrategy } from './policy/poddisruptionbudgets.js';
import {
  clusterRoleBindingStrategy,
  clusterRoleStrategy,
  roleBindingStrategy,
  roleStrategyNamespaced,
} from './rbac/rbac.js';
import { priorityClassStrategy } from './scheduling/priorityclasses.js';
import { storageClassStrategy } from './storage/storageclasses.js';
import type { Strategy } from './strategy.js';

const STRATEGIES: ReadonlyMap<string, Strategy> = new Map<string, Strategy>([
  ['/namespaces', namespaceStrategy],
  ['/pods', podStrategy],
  ['/configmaps', configMapStrategy],
  ['/secrets', secretStrategy],
  ['/services', serviceStrategy],
  ['/endpoints', endpointsStrategy],
  ['/nodes', nodeStrategy],
  ['/events', eventStrategy],
  ['/serviceaccounts', serviceAccountStrategy],
  ['/persistentvolumes', persistentVolumeStrategy],
  ['/persistentvolumeclaims', persistentVolumeClaimStrategy],
  ['/resourcequotas', resourceQuotaStrategy],
  ['/limitranges', limitRangeStrategy],
  ['/replicationcontrollers', replicationControllerStrategy],
  ['apps/deployments', deploymentStrategy],
  ['apps/replicasets', replicaSetStrategy],
  ['apps/statefulsets', statefulSetStrategy],
  ['apps/daemonsets', daemonSetStrategy],
  ['apps/controllerrevisions', controllerRevisionStrategy],
  ['batch/jobs', jobStrategy],
  ['batch/cronjobs', cronJobStrategy],
  ['coordination.k8s.io/leases', leaseStrategy],
  ['events.k8s.io/events', eventStrategy],
  ['discovery.k8s.io/endpointslices', endpointSliceStrategy],
  ['storage.k8s.io/storageclasses', storageClassStrategy],
  ['scheduling.k8s.io/priorityclasses', priorityClassStrategy],
  ['policy/poddisruptionbudgets', podDisruptionBudgetStrategy],
  ['authorization.k8s.io/selfsubjectaccessreviews', selfSubjectAccessReviewStrategy],
  ['authorization.k8s.io/selfsubjectrulesreviews', selfSubjectRulesReviewStrategy],
  ['authorization.k8s.io/subjectaccessreviews', subjectAccessReviewStrategy],
  ['authorization.k8s.io/localsubjectaccessreviews', subjectAccessReviewStrategy],
  ['authentication.k8s.io/selfsubjectreviews', selfSubjectReviewStrategy],
  ['authentication.k8s.io/tokenreviews', tokenReviewStrategy],
  ['/bindings', bindingStrategy],
  ['rbac.authorization.k8s.io/roles', roleStrategyNamespaced],
  ['rbac.authorization.k8s.io/rolebindings', roleBindingStrategy],
  ['rbac.authorization.k8s.io/clusterroles', clusterRoleStrategy],
  ['rbac.authorization.k8s.io/clusterrolebindings', clusterRoleBindingStrategy],
]);

const EMPTY: Strategy = Object.freeze({});

/**
 * The strategy for a group and resource (core group is ''). Every resource in
 * RESOURCES has one; unknown resources get the empty strategy `{}`.
 */
export function strategyFor(group: string, resource: string): Strategy {
  return STRATEGIES.get(`${group}/${resource}`) ?? EMPTY;
}

/** Resources in the catalog without a dedicated strategy (expected: none). */
export function resourcesWithoutStrategy(): string[] {
  return RESOURCES.filter((r) => !STRATEGIES.has(`${r.group}/${r.resource}`)).map((r) => `${r.group}/${r.resource}`);
}
