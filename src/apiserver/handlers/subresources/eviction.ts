/**
 * pods/eviction: a delete that respects PodDisruptionBudgets, as `kubectl drain`
 * uses it. Pods that are not running (pending, finished, already deleting) or match
 * no budget are deleted at once; a matching budget must allow a disruption (it is
 * then spent) or the eviction is refused with 429 and the budget's reason.
 */
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { isPlainObject } from '../../../api/object.js';
import { labelSelectorFromObject } from '../../../api/selectors/labelSelector.js';
import { StatusError, badRequest, successStatus } from '../../../api/status.js';
import type { ResourceStore } from '../../generic/resourceStore.js';
import { decodeObject, readBody } from '../../http/body.js';
import { writeObject } from '../../http/respond.js';
import type { ResourceRequest } from '../context.js';
import { deleteOptionsOf } from '../delete.js';
import { requestKind, writeOptions } from '../writeOptions.js';

const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

function refused(cause: string): StatusError {
  return new StatusError(429, 'TooManyRequests', VIOLATION, { causes: [{ reason: 'DisruptionBudget', message: cause }] });
}

/** Upstream lets evictions of pods that are not running ignore budgets. */
function mayIgnoreBudgets(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase ?? 'Pending';
  return pod.metadata.deletionTimestamp !== undefined || phase === 'Pending' || phase === 'Succeeded' || phase === 'Failed';
}

function budgetsMatching(pod: KubeObject, budgets: readonly KubeObject[]): (KubeObject & PodDisruptionBudget)[] {
  const labels = pod.metadata.labels ?? {};
  return (budgets as (KubeObject & PodDisruptionBudget)[]).filter((pdb) => {
    const selector = pdb.spec?.selector;
    if (selector === undefined || selector === null) return false;
    const parsed = labelSelectorFromObject(selector);
    return !parsed.isEmpty() && parsed.matches(labels);
  });
}

/** Spends one disruption of `pdb` for `podName`, or throws the refusal. */
async function spendDisruption(pdbs: ResourceStore, pdb: KubeObject & PodDisruptionBudget, podName: string, r: ResourceRequest): Promise<void> {
  const name = pdb.metadata.name ?? '';
  await pdbs.updateDirect(
    pdb.metadata.namespace ?? '',
    name,
    (current) => {
      const budget = current as KubeObject & PodDisruptionBudget;
      const status = budget.status;
      if (status === undefined || (status.observedGeneration ?? 0) < (current.metadata.generation ?? 0)) {
        throw refused(`The disruption budget ${name} is still being processed by the server.`);
      }
      if (status.disruptionsAllowed < 0) throw new StatusError(403, 'Forbidden', 'pdb disruptions allowed is negative');
      if (status.disruptionsAllowed === 0) {
        throw refused(`The disruption budget ${name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`);
      }
      budget.status = {
        ...status,
        disruptionsAllowed: status.disruptionsAllowed - 1,
        disruptedPods: { ...status.disruptedPods, [podName]: r.now.toISOString().replace(/\.\d+Z$/, 'Z') },
      };
      return current;
    },
    { ...writeOptions(r, 'CreateOptions'), fieldManager: 'k8ts-eviction' },
    'status',
  );
}

/** POST /api/v1/namespaces/{ns}/pods/{name}/eviction: 201 with a Success Status once the pod is being deleted. */
export async function handleEviction(r: ResourceRequest, pdbs: ResourceStore): Promise<void> {
  const options = writeOptions(r, 'CreateOptions');
  const eviction = decodeObject(await readBody(r.req), r.req.headers['content-type'], requestKind(r));
  const { namespace, name } = r.requestInfo;
  if (eviction.metadata.name !== name) throw badRequest('name in URL does not match name in Eviction object');
  const deleteOptions = deleteOptionsOf(isPlainObject(eviction.deleteOptions) ? eviction.deleteOptions : {}, r.query);
  const pod = await r.store.get(namespace, name);
  if (!mayIgnoreBudgets(pod)) {
    const matching = budgetsMatching(pod, pdbs.cache.list(pdbs.listPrefix(namespace)));
    if (matching.length > 1) {
      throw new StatusError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    }
    const [budget] = matching;
    if (budget !== undefined && !options.dryRun) await spendDisruption(pdbs, budget, name, r);
  }
  await r.store.delete(namespace, name, { ...deleteOptions, preconditions: { uid: pod.metadata.uid ?? '', ...deleteOptions.preconditions } }, options);
  writeObject(r.res, 201, { ...successStatus(), code: 201 });
}
