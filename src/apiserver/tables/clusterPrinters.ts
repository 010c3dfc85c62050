/**
 * Printers for the remaining served resources that upstream prints specially:
 * Leases, PriorityClasses, PodDisruptionBudgets, RoleBindings, ClusterRoleBindings
 * and EndpointSlices.
 */
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { RoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import { AGE_COLUMN, NAME_COLUMN, column, listWithMore, wideColumn } from './columns.js';
import { ageSince } from './humanDuration.js';
import type { Printer } from './tableTypes.js';

/** Leases: HOLDER AGE. */
export const leasePrinter: Printer = {
  columns: [NAME_COLUMN, column('Holder', 'string', 'The identity of the current holder of the lease.'), AGE_COLUMN],
  cells(obj, now) {
    const lease = obj as Lease;
    return [obj.metadata.name ?? '', lease.spec?.holderIdentity ?? '', ageSince(obj.metadata.creationTimestamp, now)];
  },
};

/** PriorityClasses: VALUE GLOBAL-DEFAULT AGE; wide PREEMPTIONPOLICY. */
export const priorityClassPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Value', 'integer', 'The priority pods of this class receive.'),
    column('Global-Default', 'boolean', 'Whether pods without a priority class get this one.'),
    AGE_COLUMN,
    wideColumn('PreemptionPolicy', 'Whether pods of this class may preempt lower-priority pods.'),
  ],
  cells(obj, now) {
    const pc = obj as unknown as PriorityClass;
    return [
      obj.metadata.name ?? '',
      pc.value,
      pc.globalDefault ?? false,
      ageSince(obj.metadata.creationTimestamp, now),
      pc.preemptionPolicy ?? '',
    ];
  },
};

/** PodDisruptionBudgets: MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE. */
export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const pdb = obj as PodDisruptionBudget;
    const intOrString = (v: number | string | undefined): string => (v === undefined || v === null ? 'N/A' : String(v));
    return [
      obj.metadata.name ?? '',
      intOrString(pdb.spec?.minAvailable),
      intOrString(pdb.spec?.maxUnavailable),
      pdb.status?.disruptionsAllowed ?? 0,
      ageSince(obj.metadata.creationTimestamp, now),
    ];
  },
};

/** Users, groups and `namespace/name` service accounts of a binding, each joined with `, `. */
function subjectCells(subjects: readonly Subject[] | undefined): [string, string, string] {
  const list = subjects ?? [];
  const named = (kind: string) => list.filter((s) => s.kind === kind);
  return [
    named('User').map((s) => s.name).join(', '),
    named('Group').map((s) => s.name).join(', '),
    named('ServiceAccount').map((s) => `${s.namespace ?? ''}/${s.name}`).join(', '),
  ];
}

const bindingPrinter = (kind: string): Printer => ({
  columns: [
    NAME_COLUMN,
    column('Role', 'string', 'The role the subjects are bound to, as Kind/name.'),
    AGE_COLUMN,
    wideColumn('Users', `Users in the ${kind}`),
    wideColumn('Groups', `Groups in the ${kind}`),
    wideColumn('ServiceAccounts', `ServiceAccounts in the ${kind}`),
  ],
  cells(obj, now) {
    const binding = obj as unknown as RoleBinding;
    return [
      obj.metadata.name ?? '',
      `${binding.roleRef?.kind ?? ''}/${binding.roleRef?.name ?? ''}`,
      ageSince(obj.metadata.creationTimestamp, now),
      ...subjectCells(binding.subjects),
    ];
  },
});

/** RoleBindings: ROLE AGE; wide USERS GROUPS SERVICEACCOUNTS. */
export const roleBindingPrinter = bindingPrinter('roleBinding');
/** ClusterRoleBindings: as RoleBindings. */
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');

/** EndpointSlices: ADDRESSTYPE PORTS ENDPOINTS AGE. */
export const endpointSlicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('AddressType', 'string', 'The type of addresses the slice carries: IPv4, IPv6 or FQDN.'),
    column('Ports', 'string', 'The ports of the endpoints in the slice.'),
    column('Endpoints', 'string', 'The addresses of the endpoints in the slice.'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const slice = obj as unknown as EndpointSlice;
    const ports = (slice.ports ?? []).map((p) =>
      p.port !== undefined && p.port !== null ? String(p.port) : p.name !== undefined && p.name !== null ? p.name : '*',
    );
    const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    return [
      obj.metadata.name ?? '',
      slice.addressType ?? '',
      listWithMore(ports),
      listWithMore(addresses),
      ageSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
