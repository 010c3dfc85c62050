/**
 * Recounting a quota's usage (upstream `CalculateUsage`): which API resources its hard
 * names are about, and the summed usage of the objects of those resources it covers,
 * masked to its hard names (every counted name reported, zeros included).
 */
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { RESOURCES } from '../../api/resources.js';
import { quotaCovers } from '../../api/quota/scopes.js';
import { addQuantities, countOf, maskQuantities, type Quantities } from '../../api/quota/resourceMath.js';
import { matchingResources, usageOf, type QuotaResource } from '../../api/quota/usage.js';
import type { ResourceTarget } from '../../client/index.js';

/** The resources whose objects the named quota resources count, with their API targets. */
export function resourcesToCount(hardNames: readonly string[]): { resource: QuotaResource; target: ResourceTarget }[] {
  const found = new Map<string, { resource: QuotaResource; target: ResourceTarget }>();
  const add = (group: string, resource: string): void => {
    const info = RESOURCES.find((r) => r.group === group && r.resource === resource && r.namespaced);
    if (info === undefined) return;
    found.set(`${resource}.${group}`, { resource: { group, resource }, target: { group, version: info.version, resource } });
  };
  for (const name of hardNames) {
    const count = /^count\/([^.]+)(?:\.(.+))?$/.exec(name);
    if (count !== null) add(count[2] ?? '', count[1] ?? '');
  }
  for (const candidate of ['pods', 'services', 'persistentvolumeclaims', 'configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas']) {
    if (matchingResources({ group: '', resource: candidate }, hardNames).length > 0) add('', candidate);
  }
  return [...found.values()];
}

/** The usage of `objects` (all of `resource`) that `quota` covers, for the names it limits that `resource` is charged for. */
export function usageFor(quota: ResourceQuota, hardNames: readonly string[], resource: QuotaResource, objects: readonly KubeObject[], now: number): Quantities {
  const names = matchingResources(resource, hardNames);
  let total: Quantities = new Map(names.map((name) => [name, countOf(0)]));
  for (const obj of objects) {
    if (!quotaCovers(quota, resource, obj)) continue;
    total = addQuantities(total, maskQuantities(usageOf(resource, obj, now), names));
  }
  return total;
}
