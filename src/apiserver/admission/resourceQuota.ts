/**
 * The ResourceQuota admission plugin, as upstream's, for creates. Every quota of the
 * namespace that covers the new object (scopes) and limits something it uses is
 * checked against its `status.hard`/`status.used`: pods must state the cpu and memory
 * a quota limits (`failed quota: …: must specify …`), a quota whose usage is not known
 * yet refuses (`status unknown for quota: …`), and usage beyond `hard` is refused with
 * `exceeded quota: NAME, requested: …, used: …, limited: …`. Admitted usage is charged
 * to `status.used` at once, through an optimistic-concurrency update of each quota, so
 * a burst of creates cannot overshoot before the controller recounts.
 */
import type { Pod, ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { quotaCovers } from '../../api/quota/scopes.js';
import {
  addQuantities,
  exceededNames,
  maskQuantities,
  prettyPrintQuantities,
  toQuantities,
  toResourceList,
  type Quantities,
} from '../../api/quota/resourceMath.js';
import { matchingResources, podConstraintFailure, usageOf, type QuotaResource } from '../../api/quota/usage.js';
import { forbidden } from '../../api/status.js';

/** A quota as stored. */
export type QuotaObject = KubeObject & ResourceQuota;

/** How the plugin reaches quotas. */
export interface QuotaAccess {
  /** The quotas of `namespace` as the cache has them. */
  list(namespace: string): QuotaObject[];
  /** Reads the latest `name`, lets `change` return its new status (or throw), and writes it with optimistic concurrency. */
  updateStatus(namespace: string, name: string, change: (current: QuotaObject) => QuotaObject): Promise<void>;
  /** Reads the latest `name` without writing (dry runs). */
  get(namespace: string, name: string): Promise<QuotaObject>;
}

function hardOf(quota: QuotaObject): Quantities {
  return toQuantities(quota.status?.hard as Record<string, string> | undefined);
}

function usedOf(quota: QuotaObject): Quantities {
  return toQuantities(quota.status?.used as Record<string, string> | undefined);
}

/** Charges `delta` to `quota` or throws the exceeded-quota refusal; returns the quota with its new usage. */
function charge(quota: QuotaObject, delta: Quantities, refuse: (why: string) => Error): QuotaObject {
  const hard = hardOf(quota);
  const used = usedOf(quota);
  const requested = maskQuantities(delta, hard.keys());
  const newUsed = addQuantities(used, requested);
  const exceeded = exceededNames(maskQuantities(newUsed, requested.keys()), hard);
  if (exceeded.length > 0) {
    const name = quota.metadata.name ?? '';
    throw refuse(
      `exceeded quota: ${name}, requested: ${prettyPrintQuantities(maskQuantities(requested, exceeded))}, used: ${prettyPrintQuantities(maskQuantities(used, exceeded))}, limited: ${prettyPrintQuantities(maskQuantities(hard, exceeded))}`,
    );
  }
  return { ...quota, status: { ...quota.status, used: toResourceList(newUsed) } };
}

/**
 * Admits the new `obj` (a `r` in `namespace`) against the namespace's quotas and charges
 * them; throws upstream's 403s. `now` (ms) decides whether a deleting pod still counts.
 */
export async function admitQuota(r: QuotaResource, namespace: string, obj: KubeObject, access: QuotaAccess, options: { dryRun: boolean; now: number }): Promise<void> {
  const refuse = (why: string): Error => forbidden(r, obj.metadata.name ?? '', why);
  const relevant: string[] = [];
  for (const quota of access.list(namespace).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    if (!quotaCovers(quota, r, obj)) continue;
    const hard = hardOf(quota);
    const restricted = matchingResources(r, hard.keys());
    if (restricted.length === 0) continue;
    const name = quota.metadata.name ?? '';
    if (r.group === '' && r.resource === 'pods') {
      const failure = podConstraintFailure(restricted, obj as unknown as Pod);
      if (failure !== undefined) throw refuse(`failed quota: ${name}: ${failure}`);
    }
    const used = usedOf(quota);
    if (restricted.some((resource) => !used.has(resource))) throw refuse(`status unknown for quota: ${name}, resources: ${restricted.join(',')}`);
    relevant.push(name);
  }
  if (relevant.length === 0) return;
  const delta = usageOf(r, obj, options.now);
  for (const name of relevant) {
    if (options.dryRun) charge(await access.get(namespace, name), delta, refuse);
    else await access.updateStatus(namespace, name, (current) => charge(current, delta, refuse));
  }
}
