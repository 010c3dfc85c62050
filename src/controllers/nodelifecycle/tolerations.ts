/**
 * Taint-based eviction's view of tolerations: which tolerations let a pod stay on a
 * node's NoExecute taints, and for how long.
 */
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { toleratesTaint } from '../../api/tolerations.js';

/**
 * Whether every one of `taints` is tolerated, and the tolerations that do it (each
 * taint's first matching toleration), as upstream's GetMatchingTolerations.
 */
export function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[]): { allTolerated: boolean; used: Toleration[] } {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const match = tolerations.find((t) => toleratesTaint(t, taint));
    if (match === undefined) return { allTolerated: false, used: [] };
    used.push(match);
  }
  return { allTolerated: true, used };
}

/**
 * How long the used tolerations let a pod stay, in ms: the smallest tolerationSeconds
 * (0 when one is zero or negative, or when there are none), or undefined for forever
 * (none of them sets tolerationSeconds).
 */
export function minTolerationMs(used: readonly Toleration[]): number | undefined {
  if (used.length === 0) return 0;
  let min: number | undefined;
  for (const toleration of used) {
    const seconds = toleration.tolerationSeconds;
    if (seconds === undefined || seconds === null) continue;
    if (seconds <= 0) return 0;
    min = min === undefined ? seconds : Math.min(min, seconds);
  }
  return min === undefined ? undefined : min * 1000;
}
