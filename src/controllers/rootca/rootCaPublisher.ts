/**
 * The root-CA publisher (upstream `root-ca-cert-publisher`): every active namespace
 * has the ConfigMap `kube-root-ca.crt` whose `ca.crt` is the cluster CA that signs
 * the API server's serving certificate; a changed or deleted one is restored.
 */
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isStatusReason } from '../../api/status.js';
import { deletedObject } from '../../client/index.js';
import type { SharedInformer } from '../../client/index.js';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controller.js';
import { WorkLoop } from '../workLoop.js';

/** The ConfigMap's name. */
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
/** Upstream's description annotation of the ConfigMap. */
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';

const terminating = (ns: KubeObject | undefined): boolean =>
  ns === undefined || ns.metadata.deletionTimestamp !== undefined || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating';

/** The root-CA publisher; see the module comment. */
export class RootCaPublisher implements Controller {
  readonly #namespaces: SharedInformer<KubeObject>;
  readonly #configMaps: SharedInformer<KubeObject>;
  readonly #loop: WorkLoop;
  readonly #context: ControllerContext;
  readonly #caPem: string;

  constructor(context: ControllerContext, caPem: string) {
    this.#context = context;
    this.#caPem = caPem;
    this.#namespaces = context.informers.informerFor({ group: '', version: 'v1', resource: 'namespaces' });
    this.#configMaps = context.informers.informerFor({ group: '', version: 'v1', resource: 'configmaps' }, { fieldSelector: `metadata.name=${ROOT_CA_CONFIGMAP}` });
    this.#loop = new WorkLoop({
      clock: context.clock,
      informers: [this.#namespaces, this.#configMaps],
      sync: (namespace, signal) => this.sync(namespace, signal),
      log: context.log,
    });
    const byName = (ns: KubeObject): void => this.#loop.enqueue(ns.metadata.name ?? '');
    const byNamespace = (cm: KubeObject): void => this.#loop.enqueue(cm.metadata.namespace ?? '');
    this.#namespaces.addEventHandler({ onAdd: byName, onUpdate: (_old, ns) => byName(ns) });
    this.#configMaps.addEventHandler({ onUpdate: (_old, cm) => byNamespace(cm), onDelete: (gone) => byNamespace(deletedObject(gone)) });
  }

  /** Creates or restores the ConfigMap in `namespace`, if it is active. */
  async sync(namespace: string, signal?: AbortSignal): Promise<void> {
    if (terminating(this.#namespaces.lister.get(namespace))) return;
    const target = { group: '', version: 'v1', resource: 'configmaps', namespace };
    const current = this.#configMaps.lister.get(ROOT_CA_CONFIGMAP, namespace) as (KubeObject & ConfigMap) | undefined;
    const data = { 'ca.crt': this.#caPem };
    try {
      if (current === undefined) {
        const fresh = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } }, data };
        await this.#context.client.create(target, fresh, { signal });
        return;
      }
      const dataMatches = Object.keys(current.data ?? {}).length === 1 && current.data?.['ca.crt'] === this.#caPem && current.binaryData === undefined;
      if (dataMatches && current.metadata.annotations?.[DESCRIPTION_ANNOTATION] === DESCRIPTION) return;
      const restored = structuredClone(current);
      restored.data = data;
      delete restored.binaryData;
      restored.metadata.annotations = { ...restored.metadata.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION };
      await this.#context.client.update(target, restored, { signal });
    } catch (err) {
      // The cache lags behind a create, or the namespace went away: the next event brings us back.
      if (isStatusReason(err, 'AlreadyExists') || isStatusReason(err, 'NotFound')) return;
      if (isStatusReason(err, 'Forbidden') && terminating(this.#namespaces.lister.get(namespace))) return;
      throw err;
    }
  }

  run(signal: AbortSignal): Promise<void> {
    return this.#loop.run(signal);
  }
}

/** The root-CA publisher as the manager builds it; it runs only when the manager knows the cluster CA. */
export const rootCaPublisherDescriptor: ControllerDescriptor = {
  name: 'root-ca-cert-publisher',
  create: (context) => {
    const caPem = context.rootCaPem;
    if (caPem === undefined) return { run: async () => context.log('no root CA configured; not publishing kube-root-ca.crt') };
    return new RootCaPublisher(context, caPem);
  },
};
