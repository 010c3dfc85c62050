/**
 * Which objects a ResourceQuota applies to: a quota without scopes covers every
 * object of its namespace; scopes (`spec.scopes` and `spec.scopeSelector`, all of
 * which must match) only ever match pods, as upstream's evaluators decide.
 */
import type { Pod, ResourceQuota, ScopedResourceSelectorRequirement } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../object.js';
import { tryParseQuantity } from '../quantity.js';
import type { QuotaResource } from './usage.js';

function isBestEffort(pod: Pod): boolean {
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  return containers.every((c) =>
    ['cpu', 'memory'].every((name) => {
      const positive = (raw: string | number | undefined): boolean => raw !== undefined && (tryParseQuantity(String(raw))?.nanos ?? 0n) > 0n;
      return !positive(c.resources?.requests?.[name]) && !positive(c.resources?.limits?.[name]);
    }),
  );
}

function isTerminating(pod: Pod): boolean {
  const deadline = pod.spec?.activeDeadlineSeconds;
  return deadline !== undefined && deadline >= 0;
}

function usesCrossNamespaceAffinity(pod: Pod): boolean {
  const affinity = pod.spec?.affinity;
  const terms = [
    ...(affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
    ...(affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
  ];
  return terms.some((t) => (t.namespaces ?? []).length > 0 || t.namespaceSelector !== undefined);
}

function podMatchesScope(pod: Pod, req: ScopedResourceSelectorRequirement): boolean {
  switch (req.scopeName) {
    case 'Terminating':
      return isTerminating(pod);
    case 'NotTerminating':
      return !isTerminating(pod);
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'CrossNamespacePodAffinity':
      return usesCrossNamespaceAffinity(pod);
    case 'PriorityClass': {
      const name = pod.spec?.priorityClassName ?? '';
      const values = req.values ?? [];
      if (req.operator === 'Exists') return name !== '';
      if (req.operator === 'In') return values.includes(name);
      if (req.operator === 'NotIn') return !values.includes(name);
      return false;
    }
    default:
      return false;
  }
}

/** Every scope requirement of `quota`: its `spec.scopes` (as Exists) and its scope selector. */
export function scopeRequirements(quota: ResourceQuota): ScopedResourceSelectorRequirement[] {
  return [
    ...(quota.spec?.scopes ?? []).map((scopeName) => ({ scopeName, operator: 'Exists' })),
    ...(quota.spec?.scopeSelector?.matchExpressions ?? []),
  ];
}

/** True when `quota` applies to `obj`, an object of `r`. */
export function quotaCovers(quota: ResourceQuota, r: QuotaResource, obj: KubeObject): boolean {
  const requirements = scopeRequirements(quota);
  if (requirements.length === 0) return true;
  if (r.group !== '' || r.resource !== 'pods') return false;
  return requirements.every((req) => podMatchesScope(obj as unknown as Pod, req));
}
