/**
 * The resource quota controller (upstream `resourcequota`): keeps every ResourceQuota's
 * `status.hard` equal to its `spec.hard` and `status.used` equal to what the objects of
 * its namespace it covers actually use. A quota is recounted when its spec changes,
 * when objects it counts are deleted or pods stop using compute (terminal, or past their
 * deletion grace), and every RESYNC_MS in any case. Admission charges creates as they
 * happen; this controller gives back what deletions free.
 */
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { toQuantities, toResourceList, sameQuantities, type Quantities } from '../../api/quota/resourceMath.js';
import { podChargesCompute } from '../../api/quota/usage.js';
import { deletedObject, objectKey, splitKey } from '../../client/index.js';
import type { SharedInformer } from '../../client/index.js';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controller.js';
import type { PodObject } from '../replicaset/podState.js';
import { WorkLoop } from '../workLoop.js';
import { resourcesToCount, usageFor } from './quotaUsage.js';

/** Upstream `--resource-quota-sync-period`: every quota is recounted this often. */
export const RESYNC_MS = 5 * 60 * 1000;

type QuotaObject = KubeObject & ResourceQuota;

const QUOTAS = { group: '', version: 'v1', resource: 'resourcequotas' };
/** Resources whose deletions free quota promptly (others wait for the periodic recount). */
const REPLENISHED = ['services', 'configmaps', 'secrets', 'persistentvolumeclaims', 'replicationcontrollers'];

const hardOf = (quota: ResourceQuota): Quantities => toQuantities(quota.spec?.hard as Record<string, string> | undefined);

/** The resource quota controller; see the module comment. */
export class ResourceQuotaController implements Controller {
  readonly #context: ControllerContext;
  readonly #quotas: SharedInformer<QuotaObject>;
  readonly #loop: WorkLoop;

  constructor(context: ControllerContext) {
    this.#context = context;
    this.#quotas = context.informers.informerFor<QuotaObject>(QUOTAS);
    const pods = context.informers.informerFor<PodObject>({ group: '', version: 'v1', resource: 'pods' });
    this.#loop = new WorkLoop({ clock: context.clock, informers: [this.#quotas, pods], sync: (key, signal) => this.sync(key, signal), log: context.log, workers: 2 });
    this.#quotas.addEventHandler({
      onAdd: (quota) => this.#loop.enqueue(objectKey(quota)),
      onUpdate: (old, quota) => {
        if (!sameQuantities(hardOf(old), hardOf(quota)) || !sameQuantities(hardOf(quota), toQuantities(quota.status?.hard as Record<string, string> | undefined))) {
          this.#loop.enqueue(objectKey(quota));
        }
      },
      onDelete: () => undefined,
    });
    pods.addEventHandler({
      onUpdate: (old, pod) => {
        const now = context.clock.now();
        const stopped = podChargesCompute(old, now) && !podChargesCompute(pod, now);
        if (stopped || (old.metadata.deletionTimestamp === undefined && pod.metadata.deletionTimestamp !== undefined)) this.#replenish(pod);
      },
      onDelete: (gone) => this.#replenish(deletedObject(gone)),
    });
    for (const resource of REPLENISHED) {
      context.informers.informerFor({ group: '', version: 'v1', resource }).addEventHandler({ onDelete: (gone) => this.#replenish(deletedObject(gone)) });
    }
  }

  run(signal: AbortSignal): Promise<void> {
    return this.#loop.run(signal);
  }

  /** Queues every quota of the namespace of `obj`, whose deletion or termination freed usage. */
  #replenish(obj: KubeObject): void {
    for (const quota of this.#quotas.lister.namespace(obj.metadata.namespace ?? '').list()) this.#loop.enqueue(objectKey(quota));
  }

  /** Recounts the quota at `key` (`namespace/name`) and writes its status when it changed. */
  async sync(key: string, signal?: AbortSignal): Promise<void> {
    const { namespace, name } = splitKey(key);
    const quota = this.#quotas.lister.get(name, namespace);
    if (quota === undefined) return;
    const hard = hardOf(quota);
    const hardNames = [...hard.keys()];
    const previous = toQuantities(quota.status?.used as Record<string, string> | undefined);
    const used: Quantities = new Map([...previous].filter(([n]) => hard.has(n)));
    const now = this.#context.clock.now();
    for (const { resource, target } of resourcesToCount(hardNames)) {
      const list = await this.#context.client.list({ ...target, namespace }, { signal });
      for (const [n, q] of usageFor(quota, hardNames, resource, list.items, now)) used.set(n, q);
    }
    const statusHard = toQuantities(quota.status?.hard as Record<string, string> | undefined);
    if (!sameQuantities(statusHard, hard) || !sameQuantities(previous, used)) {
      const updated: QuotaObject = { ...quota, status: { hard: toResourceList(hard), used: toResourceList(used) } };
      await this.#context.client.update({ ...QUOTAS, namespace }, updated, { subresource: 'status', signal });
    }
    this.#loop.enqueueAfter(key, RESYNC_MS);
  }
}

/** The resource quota controller as the manager builds it. */
export const resourceQuotaControllerDescriptor: ControllerDescriptor = {
  name: 'resourcequota',
  create: (context) => new ResourceQuotaController(context),
};
