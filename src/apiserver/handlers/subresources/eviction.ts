/**
 * pods/eviction (policy/v1 Eviction; v1beta1 bodies are read the same): a delete that
 * respects PodDisruptionBudgets, as upstream's. Pods that are pending, finished or
 * already deleting are deleted without looking at budgets. Otherwise the one budget
 * selecting the pod (two or more: a 500 Status) must allow a disruption, which is
 * spent with an optimistic-concurrency update of its status recording the pod in
 * `disruptedPods`; when it allows none the eviction is refused with 429. A pod that is
 * not Ready spends nothing when the budget is healthy anyway or its
 * unhealthyPodEvictionPolicy is AlwaysAllow (the delete then requires the pod unchanged).
 * An evicted pod first gets the DisruptionTarget condition (reason EvictionByEvictionAPI).
 */
import type { PodCondition } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { isPlainObject } from '../../../api/object.js';
import { labelSelectorFromObject } from '../../../api/selectors/labelSelector.js';
import { StatusError, badRequest, conflict, forbidden, isStatusReason, successStatus } from '../../../api/status.js';
import type { DeleteOptions, ResourceStore, WriteContext } from '../../generic/resourceStore.js';
import { decodeObject, readBody } from '../../http/body.js';
import { writeObject } from '../../http/respond.js';
import type { ResourceRequest } from '../context.js';
import { deleteOptionsOf } from '../delete.js';
import { requestKind, writeOptions } from '../writeOptions.js';

type Budget = KubeObject & PodDisruptionBudget;

const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";
/** Upstream `MaxDisruptedPodSize`. */
const MAX_DISRUPTED_PODS = 2000;
const PDB_RESOURCE = { group: 'policy', resource: 'poddisruptionbudget' };
/** Upstream retries conflicting writes a bounded number of times. */
const CONFLICT_RETRIES = 20;

function tooManyRequests(cause: string, retryAfterSeconds?: number): StatusError {
  return new StatusError(429, 'TooManyRequests', VIOLATION, {
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    causes: [{ reason: 'DisruptionBudget', message: cause }],
  });
}

const stillProcessing = (name: string): StatusError => tooManyRequests(`The disruption budget ${name} is still being processed by the server.`, 10);

const phaseOf = (pod: KubeObject): string => (pod.status as { phase?: string } | undefined)?.phase ?? 'Pending';
const isTerminal = (pod: KubeObject): boolean => ['Succeeded', 'Failed'].includes(phaseOf(pod));
const isDeleting = (pod: KubeObject): boolean => pod.metadata.deletionTimestamp !== undefined;

/** Upstream `canIgnorePDB`. */
const mayIgnoreBudgets = (pod: KubeObject): boolean => isTerminal(pod) || phaseOf(pod) === 'Pending' || isDeleting(pod);

function isReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: PodCondition[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

function budgetsMatching(pod: KubeObject, budgets: readonly KubeObject[]): Budget[] {
  const labels = pod.metadata.labels ?? {};
  return (budgets as Budget[]).filter((pdb) => {
    const selector = pdb.spec?.selector;
    if (selector === undefined || selector === null) return false;
    try {
      const parsed = labelSelectorFromObject(selector);
      return !parsed.isEmpty() && parsed.matches(labels);
    } catch {
      return false;
    }
  });
}

const formatTime = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');

/** Upstream `checkAndDecrement` on the latest budget: spends one disruption for `podName`, or throws. */
function decrement(current: KubeObject, podName: string, now: Date): KubeObject {
  const budget = current as Budget;
  const name = budget.metadata.name ?? '';
  const status = budget.status;
  if (status === undefined || (status.observedGeneration ?? 0) < (budget.metadata.generation ?? 0)) throw stillProcessing(name);
  if (status.disruptionsAllowed < 0) throw forbidden(PDB_RESOURCE, name, 'pdb disruptions allowed is negative');
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) {
    throw forbidden(PDB_RESOURCE, name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (status.disruptionsAllowed === 0) {
    throw tooManyRequests(`The disruption budget ${name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`);
  }
  const disruptionsAllowed = status.disruptionsAllowed - 1;
  let conditions = status.conditions;
  if (disruptionsAllowed === 0) {
    conditions = (conditions ?? []).filter((c) => c.type !== 'DisruptionAllowed');
    const previous = status.conditions?.find((c) => c.type === 'DisruptionAllowed');
    conditions.push({
      type: 'DisruptionAllowed',
      status: 'False',
      reason: 'InsufficientPods',
      message: previous?.status === 'False' ? previous.message : '',
      observedGeneration: status.observedGeneration ?? 0,
      lastTransitionTime: previous?.status === 'False' ? previous.lastTransitionTime : formatTime(now),
    });
  }
  budget.status = { ...status, disruptionsAllowed, disruptedPods: { ...status.disruptedPods, [podName]: formatTime(now) }, ...(conditions !== undefined ? { conditions } : {}) };
  return budget;
}

async function retryOnConflict<T>(maxTries: number, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isStatusReason(err, 'Conflict') || tries >= maxTries) throw err;
    }
  }
}

/** Adds the DisruptionTarget condition (unless dry-run), then deletes the pod with `options`. */
async function markAndDelete(r: ResourceRequest, options: DeleteOptions, ctx: WriteContext): Promise<void> {
  const { namespace, name } = r.requestInfo;
  let preconditions = options.preconditions;
  if (!ctx.dryRun) {
    const marked = await r.store.updateDirect(
      namespace,
      name,
      (pod) => {
        if (preconditions?.uid && preconditions.uid !== pod.metadata.uid) throw conflict(r.store.groupResource(), name);
        if (preconditions?.resourceVersion && preconditions.resourceVersion !== pod.metadata.resourceVersion) throw conflict(r.store.groupResource(), name);
        const status = (pod.status ??= {}) as { conditions?: PodCondition[] };
        const existing = status.conditions?.find((c) => c.type === 'DisruptionTarget');
        const condition: PodCondition = {
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'EvictionByEvictionAPI',
          message: 'Eviction API: evicting',
          lastTransitionTime: existing?.status === 'True' && existing.lastTransitionTime !== undefined ? existing.lastTransitionTime : formatTime(r.now),
        };
        status.conditions = existing === undefined ? [...(status.conditions ?? []), condition] : status.conditions?.map((c) => (c.type === 'DisruptionTarget' ? condition : c));
        return pod;
      },
      { ...ctx, fieldManager: 'kube-apiserver' },
      'status',
    );
    if (preconditions?.resourceVersion) preconditions = { ...preconditions, resourceVersion: marked.metadata.resourceVersion ?? '' };
  }
  await r.store.delete(namespace, name, { ...options, ...(preconditions !== undefined ? { preconditions } : {}) }, ctx);
}

const withResourceVersion = (options: DeleteOptions, resourceVersion: string | undefined): DeleteOptions => ({
  ...options,
  preconditions: { ...options.preconditions, resourceVersion: resourceVersion ?? '' },
});

/** POST /api/v1/namespaces/{ns}/pods/{name}/eviction: 201 with a Success Status once the pod is being deleted. */
export async function handleEviction(r: ResourceRequest, pdbs: ResourceStore): Promise<void> {
  const ctx = writeOptions(r, 'CreateOptions');
  const eviction = decodeObject(await readBody(r.req), r.req.headers['content-type'], requestKind(r));
  const { namespace, name } = r.requestInfo;
  if (eviction.metadata.name !== name) throw badRequest('name in URL does not match name in Eviction object');
  const original = deleteOptionsOf(isPlainObject(eviction.deleteOptions) ? eviction.deleteOptions : {}, r.query);
  const dryRun = ctx.dryRun || r.query.getAll('dryRun').length > 0;
  const writeCtx: WriteContext = { ...ctx, dryRun };
  const rvSet = Boolean(original.preconditions?.resourceVersion);

  // Pods a budget does not protect are deleted at once (retrying conflicts unless the caller pinned a version).
  let pod: KubeObject | undefined;
  const ignored = await retryOnConflict(rvSet ? 1 : CONFLICT_RETRIES, async () => {
    pod = await r.store.get(namespace, name);
    if (!mayIgnoreBudgets(pod)) return false;
    const enforce = !isTerminal(pod) && !isDeleting(pod) && !rvSet;
    await markAndDelete(r, enforce ? withResourceVersion(original, pod.metadata.resourceVersion) : original, writeCtx);
    return true;
  });
  if (ignored || pod === undefined) {
    writeObject(r.res, 201, { ...successStatus(), code: 201 });
    return;
  }
  const current: KubeObject = pod;

  const matching = budgetsMatching(current, pdbs.cache.list(pdbs.listPrefix(namespace)));
  if (matching.length > 1) {
    writeObject(r.res, 500, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      code: 500,
    });
    return;
  }
  const [budget] = matching;
  let pinToPod = false;
  if (budget !== undefined) {
    const status = budget.status;
    const unhealthyMayGo =
      !isReady(current) &&
      (budget.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' ||
        (status !== undefined && status.currentHealthy >= status.desiredHealthy && status.desiredHealthy > 0));
    if (unhealthyMayGo) {
      pinToPod = true;
    } else if (dryRun) {
      decrement(structuredClone(await pdbs.get(namespace, budget.metadata.name ?? '')), name, r.now);
    } else {
      await pdbs.updateDirect(namespace, budget.metadata.name ?? '', (latest) => decrement(latest, name, r.now), { ...ctx, fieldManager: 'kube-apiserver' }, 'status');
    }
  }
  try {
    await markAndDelete(r, pinToPod && !rvSet ? withResourceVersion(original, current.metadata.resourceVersion) : original, writeCtx);
  } catch (err) {
    if (isStatusReason(err, 'Conflict') && pinToPod && !rvSet) throw stillProcessing(budget?.metadata.name ?? '');
    throw err;
  }
  writeObject(r.res, 201, { ...successStatus(), code: 201 });
}
