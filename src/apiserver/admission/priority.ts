/**
 * The Priority admission plugin, as upstream's: a new pod gets `spec.priority` (and
 * `spec.preemptionPolicy`) from its PriorityClass, or from the class marked
 * `globalDefault` (whose name it then gets), else priority 0. A class that does not
 * exist, or a priority or preemption policy in the pod that disagrees with the class,
 * is refused with 403. A PriorityClass may be the global default only if no other is.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import { forbidden } from '../../api/status.js';

/** The priority class objects upstream creates at API server start (`scheduling/bootstrap-system-priority-classes`). */
export const SYSTEM_PRIORITY_CLASSES: readonly PriorityClass[] = [
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-node-critical' },
    value: 2000001000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-cluster-critical' },
    value: 2000000000,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

/** Upstream's priority of pods when no class is the global default. */
export const DEFAULT_PRIORITY = 0;

const POD = { group: '', resource: 'pods' };
const PRIORITY_CLASS = { group: 'scheduling.k8s.io', resource: 'priorityclasses' };

/** The global default class: when a race made several, the one of lowest value (as upstream). */
export function globalDefaultClass(classes: readonly PriorityClass[]): PriorityClass | undefined {
  return classes.filter((pc) => pc.globalDefault === true).reduce<PriorityClass | undefined>((best, pc) => (best === undefined || pc.value < best.value ? pc : best), undefined);
}

/** Resolves and sets a new pod's priority; `classes` are the cluster's PriorityClasses. Throws upstream's 403s. */
export function admitPodPriority(pod: Pod, classes: readonly PriorityClass[]): void {
  const spec = (pod.spec ??= { containers: [] });
  const podName = pod.metadata?.name ?? '';
  let priority = DEFAULT_PRIORITY;
  let preemptionPolicy: string | undefined;
  if (!spec.priorityClassName) {
    const fallback = globalDefaultClass(classes);
    if (fallback !== undefined) {
      spec.priorityClassName = fallback.metadata?.name ?? '';
      priority = fallback.value;
      preemptionPolicy = fallback.preemptionPolicy;
    }
  } else {
    const named = classes.find((pc) => pc.metadata?.name === spec.priorityClassName);
    if (named === undefined) throw forbidden(POD, podName, `no PriorityClass with name ${spec.priorityClassName} was found`);
    priority = named.value;
    preemptionPolicy = named.preemptionPolicy;
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    throw forbidden(
      POD,
      podName,
      `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
    );
  }
  spec.priority = priority;
  if (preemptionPolicy !== undefined) {
    if (spec.preemptionPolicy && spec.preemptionPolicy !== preemptionPolicy) {
      throw forbidden(
        POD,
        podName,
        `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`,
      );
    }
    spec.preemptionPolicy = preemptionPolicy;
  }
}

/** Refuses a second global default class (on create, or on an update of another class). */
export function admitPriorityClass(pc: PriorityClass, classes: readonly PriorityClass[]): void {
  if (pc.globalDefault !== true) return;
  const name = pc.metadata?.name ?? '';
  const existing = globalDefaultClass(classes.filter((other) => other.metadata?.name !== name));
  if (existing !== undefined) {
    throw forbidden(PRIORITY_CLASS, name, `PriorityClass ${existing.metadata?.name ?? ''} is already marked as default. Only one default can exist`);
  }
}
