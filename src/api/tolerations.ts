/**
 * Taints and tolerations as upstream matches them (`Toleration.ToleratesTaint`): an
 * empty toleration effect matches every effect, an empty key (with Exists) every key;
 * Exists ignores the value, Equal (the default operator) needs the same value, any
 * other operator tolerates nothing. Shared by the scheduler, the DaemonSet controller
 * and taint-based eviction.
 */
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';

/** Whether `toleration` tolerates `taint`. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator || 'Equal') {
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** Whether any of `tolerations` tolerates `taint`. */
export function tolerated(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** The first of `taints` with one of `effects` that none of `tolerations` tolerates (upstream FindMatchingUntoleratedTaint). */
export function findUntoleratedTaint(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined, effects: readonly string[]): Taint | undefined {
  return (taints ?? []).find((taint) => effects.includes(taint.effect) && !tolerated(tolerations, taint));
}
