/**
 * Whether a pod's tolerations tolerate a node's taint (upstream
 * `Toleration.ToleratesTaint`): the effect matches (an empty toleration effect matches
 * all), and the key and value match by the operator (Exists with an empty key
 * tolerates every taint).
 */
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';

/** Whether `toleration` tolerates `taint`. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/** Whether any of `tolerations` tolerates `taint`. */
export function tolerated(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}
