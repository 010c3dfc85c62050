/**
 * Empties one resource of a terminating namespace, as upstream's namespace deleter:
 * deletecollection (or, where the server does not offer it, list and delete one by
 * one) with background propagation, then a list to see what remains and why —
 * graceful pod termination, finalizers — and how long to wait for it.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isStatusReason } from '../../api/status.js';
import type { ResourceTarget, RestClient } from '../../client/index.js';

/** A namespaced resource to empty, with the verbs discovery listed for it. */
export interface ContentResource {
  group: string;
  version: string;
  resource: string;
  verbs: readonly string[];
}

/** What is left of one resource after a deletion pass. */
export interface ContentOutcome {
  /** Seconds the remaining objects may still need to go away (0: no reason to wait). */
  estimateSeconds: number;
  /** Objects still present. */
  remaining: number;
  /** Finalizer → how many remaining objects carry it. */
  finalizers: Map<string, number>;
  /** Why the pass failed, if it did; the fields above then say what is known. */
  error?: Error;
}

/** How long to assume finalizers take when remaining objects carry some (upstream: 15 s). */
export const FINALIZER_ESTIMATE_SECONDS = 15;

/** Everything a deletion pass of one resource needs to know. */
export interface ContentPass {
  client: RestClient;
  namespace: string;
  /** When the namespace's deletion started (its deletionTimestamp), in ms. */
  deletedAtMs: number;
  nowMs: number;
  signal?: AbortSignal;
}

const BACKGROUND = { propagationPolicy: 'Background' } as const;

/** The group/version/resource as Go prints it in upstream's messages: `apps/v1, Resource=deployments`. */
export function describeResource(r: ContentResource): string {
  return `${r.group}/${r.version}, Resource=${r.resource}`;
}

/** True for the answers that mean "this resource does not offer that verb here". */
function unsupported(err: unknown): boolean {
  return isStatusReason(err, 'MethodNotAllowed') || isStatusReason(err, 'NotFound');
}

/** Deletes every object of `resource` in the namespace and reports what remains. */
export async function emptyResource(resource: ContentResource, pass: ContentPass): Promise<ContentOutcome> {
  const target: ResourceTarget = { group: resource.group, version: resource.version, resource: resource.resource, namespace: pass.namespace };
  const none = (estimateSeconds: number, error?: Error): ContentOutcome => ({ estimateSeconds, remaining: 0, finalizers: new Map(), ...(error ? { error } : {}) });
  let estimate: number;
  try {
    estimate = await gracefulEstimate(resource, pass);
  } catch (err) {
    return none(0, asError(err));
  }
  try {
    if (!(await deleteCollection(target, resource, pass))) await deleteEach(target, resource, pass);
  } catch (err) {
    return none(estimate, asError(err));
  }
  let items: KubeObject[] | undefined;
  try {
    items = await listIfSupported(target, resource, pass);
  } catch (err) {
    return none(estimate, asError(err));
  }
  if (items === undefined) return none(estimate);
  if (items.length === 0) return none(0);
  const finalizers = new Map<string, number>();
  for (const item of items) for (const f of item.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
  const remaining = { remaining: items.length, finalizers };
  if (estimate !== 0) return { estimateSeconds: estimate, ...remaining };
  if (finalizers.size > 0) return { estimateSeconds: FINALIZER_ESTIMATE_SECONDS, ...remaining };
  return { estimateSeconds: 0, ...remaining, error: new Error(`unexpected items still remain in namespace: ${pass.namespace} for gvr: ${describeResource(resource)}`) };
}

/** Deletes the whole collection; false when the server does not offer deletecollection for it. */
async function deleteCollection(target: ResourceTarget, resource: ContentResource, pass: ContentPass): Promise<boolean> {
  if (!resource.verbs.includes('deletecollection')) return false;
  try {
    await pass.client.deleteCollection(target, { ...BACKGROUND, signal: pass.signal });
    return true;
  } catch (err) {
    if (unsupported(err)) return false;
    throw err;
  }
}

/** Lists the collection and deletes its objects one by one (objects already gone are fine). */
async function deleteEach(target: ResourceTarget, resource: ContentResource, pass: ContentPass): Promise<void> {
  const items = await listIfSupported(target, resource, pass);
  for (const item of items ?? []) {
    try {
      await pass.client.delete(target, item.metadata.name ?? '', { ...BACKGROUND, signal: pass.signal });
    } catch (err) {
      if (!unsupported(err)) throw err;
    }
  }
}

/** The objects of the collection, or undefined when the server does not offer list for it. */
async function listIfSupported(target: ResourceTarget, resource: ContentResource, pass: ContentPass): Promise<KubeObject[] | undefined> {
  if (!resource.verbs.includes('list')) return undefined;
  try {
    return (await pass.client.list(target, { signal: pass.signal })).items;
  } catch (err) {
    if (unsupported(err)) return undefined;
    throw err;
  }
}

/**
 * Seconds the resource's objects may take to terminate gracefully: for pods, the
 * longest termination grace period among non-terminal pods; 0 for other resources,
 * and 0 once that long has passed since the namespace's deletion started.
 */
async function gracefulEstimate(resource: ContentResource, pass: ContentPass): Promise<number> {
  if (resource.group !== '' || resource.resource !== 'pods') return 0;
  const pods = await pass.client.list<KubeObject & Pod>({ group: '', version: 'v1', resource: 'pods', namespace: pass.namespace }, { signal: pass.signal });
  let estimate = 0;
  for (const pod of pods.items) {
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    estimate = Math.max(estimate, pod.spec?.terminationGracePeriodSeconds ?? 0);
  }
  return pass.nowMs - pass.deletedAtMs >= estimate * 1000 ? 0 : estimate;
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
