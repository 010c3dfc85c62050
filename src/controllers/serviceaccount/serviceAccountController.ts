/**
 * The service-account controller (upstream `serviceaccount`): every active namespace
 * has a `default` ServiceAccount; one that is deleted is created again. Namespaces
 * being deleted are left alone.
 */
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isStatusReason } from '../../api/status.js';
import { deletedObject } from '../../client/index.js';
import type { SharedInformer } from '../../client/index.js';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controller.js';
import { WorkLoop } from '../workLoop.js';

/** The accounts every namespace gets. */
export const ENSURED_SERVICE_ACCOUNTS: readonly string[] = ['default'];

const terminating = (ns: KubeObject | undefined): boolean =>
  ns === undefined || ns.metadata.deletionTimestamp !== undefined || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating';

/** The service-account controller; see the module comment. */
export class ServiceAccountController implements Controller {
  readonly #namespaces: SharedInformer<KubeObject>;
  readonly #accounts: SharedInformer<KubeObject>;
  readonly #loop: WorkLoop;
  readonly #context: ControllerContext;

  constructor(context: ControllerContext) {
    this.#context = context;
    this.#namespaces = context.informers.informerFor({ group: '', version: 'v1', resource: 'namespaces' });
    this.#accounts = context.informers.informerFor({ group: '', version: 'v1', resource: 'serviceaccounts' });
    this.#loop = new WorkLoop({
      clock: context.clock,
      informers: [this.#namespaces, this.#accounts],
      sync: (namespace, signal) => this.sync(namespace, signal),
      log: context.log,
    });
    const byName = (ns: KubeObject): void => this.#loop.enqueue(ns.metadata.name ?? '');
    this.#namespaces.addEventHandler({ onAdd: byName, onUpdate: (_old, ns) => byName(ns) });
    this.#accounts.addEventHandler({
      onDelete: (gone) => {
        const account = deletedObject(gone);
        if (ENSURED_SERVICE_ACCOUNTS.includes(account.metadata.name ?? '')) this.#loop.enqueue(account.metadata.namespace ?? '');
      },
    });
  }

  /** Creates the ensured accounts missing from `namespace`, if it is active. */
  async sync(namespace: string, signal?: AbortSignal): Promise<void> {
    if (terminating(this.#namespaces.lister.get(namespace))) return;
    for (const name of ENSURED_SERVICE_ACCOUNTS) {
      if (this.#accounts.lister.get(name, namespace) !== undefined) continue;
      const account: ServiceAccount & KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } };
      try {
        await this.#context.client.create({ group: '', version: 'v1', resource: 'serviceaccounts', namespace }, account, { signal });
      } catch (err) {
        // Already there (the cache lags), or the namespace went away meanwhile: nothing to do.
        if (isStatusReason(err, 'AlreadyExists') || isStatusReason(err, 'NotFound')) continue;
        if (isStatusReason(err, 'Forbidden') && terminating(this.#namespaces.lister.get(namespace))) continue;
        throw err;
      }
    }
  }

  run(signal: AbortSignal): Promise<void> {
    return this.#loop.run(signal);
  }
}

/** The service-account controller as the manager builds it. */
export const serviceAccountControllerDescriptor: ControllerDescriptor = {
  name: 'serviceaccount',
  create: (context) => new ServiceAccountController(context),
};
