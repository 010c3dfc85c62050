/**
 * Which printer serves which resource. Resources upstream prints specially map to
 * their printer; everything else (Roles, ClusterRoles, LimitRanges, …) gets
 * upstream's default table: NAME and CREATED AT.
 */
import type { ResourceInfo } from '../../api/resources.js';
import {
  clusterRoleBindingPrinter,
  endpointSlicePrinter,
  leasePrinter,
  podDisruptionBudgetPrinter,
  priorityClassPrinter,
  roleBindingPrinter,
} from './clusterPrinters.js';
import { CREATION_DESCRIPTION, NAME_COLUMN, column } from './columns.js';
import {
  configMapPrinter,
  endpointsPrinter,
  namespacePrinter,
  nodePrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
  servicePrinter,
} from './corePrinters.js';
import { eventPrinter } from './eventPrinter.js';
import { podPrinter } from './podPrinter.js';
import { persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './storagePrinters.js';
import type { Printer } from './tableTypes.js';
import {
  controllerRevisionPrinter,
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  statefulSetPrinter,
} from './workloadPrinters.js';

/** Go's `time.RFC3339` rendering of a timestamp in UTC, whole seconds; the zero time when absent. */
function rfc3339(timestamp: string | undefined): string {
  const ms = timestamp === undefined ? NaN : Date.parse(timestamp);
  if (Number.isNaN(ms)) return '0001-01-01T00:00:00Z';
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Upstream's default table for resources without a printer: NAME, CREATED AT. */
export const defaultPrinter: Printer = {
  columns: [NAME_COLUMN, column('Created At', 'date', CREATION_DESCRIPTION)],
  cells(obj) {
    return [obj.metadata.name ?? '', rfc3339(obj.metadata.creationTimestamp)];
  },
};

/** Printers by `group/resource` (core group written as the empty string). */
const PRINTERS: ReadonlyMap<string, Printer> = new Map<string, Printer>([
  ['/pods', podPrinter],
  ['/services', servicePrinter],
  ['/endpoints', endpointsPrinter],
  ['/nodes', nodePrinter],
  ['/namespaces', namespacePrinter],
  ['/configmaps', configMapPrinter],
  ['/secrets', secretPrinter],
  ['/serviceaccounts', serviceAccountPrinter],
  ['/events', eventPrinter],
  ['/persistentvolumes', persistentVolumePrinter],
  ['/persistentvolumeclaims', persistentVolumeClaimPrinter],
  ['/resourcequotas', resourceQuotaPrinter],
  ['/replicationcontrollers', replicationControllerPrinter],
  ['apps/deployments', deploymentPrinter],
  ['apps/replicasets', replicaSetPrinter],
  ['apps/statefulsets', statefulSetPrinter],
  ['apps/daemonsets', daemonSetPrinter],
  ['apps/controllerrevisions', controllerRevisionPrinter],
  ['batch/jobs', jobPrinter],
  ['batch/cronjobs', cronJobPrinter],
  ['coordination.k8s.io/leases', leasePrinter],
  ['events.k8s.io/events', eventPrinter],
  ['discovery.k8s.io/endpointslices', endpointSlicePrinter],
  ['storage.k8s.io/storageclasses', storageClassPrinter],
  ['scheduling.k8s.io/priorityclasses', priorityClassPrinter],
  ['policy/poddisruptionbudgets', podDisruptionBudgetPrinter],
  ['rbac.authorization.k8s.io/rolebindings', roleBindingPrinter],
  ['rbac.authorization.k8s.io/clusterrolebindings', clusterRoleBindingPrinter],
]);

/** The printer for a resource; the default (NAME, CREATED AT) when upstream has none. */
export function printerFor(info: Pick<ResourceInfo, 'group' | 'resource'>): Printer {
  return PRINTERS.get(`${info.group}/${info.resource}`) ?? defaultPrinter;
}
