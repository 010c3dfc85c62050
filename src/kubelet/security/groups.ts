/** A pod's supplemental groups as upstream passes them to the runtime: fsGroup first, then spec.securityContext.supplementalGroups. */
import type { Pod } from 'kubernetes-types/core/v1.js';

/** The supplemental groups of every process of `pod`; undefined when the pod sets none. */
export function podSupplementalGroups(pod: Pod): number[] | undefined {
  const security = pod.spec?.securityContext;
  const groups = [...(security?.fsGroup !== undefined ? [security.fsGroup] : []), ...(security?.supplementalGroups ?? [])];
  return groups.length > 0 ? groups : undefined;
}
