/**
 * The selector system-default topology spreading counts pods with (upstream
 * helper.DefaultSelector): the label sets of the Services that select the pod and of
 * its ReplicationController owner, ANDed with the selectors of its ReplicaSet or
 * StatefulSet owner. Empty when the pod has none of them (then it is not spread).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import type { LabelSelector as LabelSelectorObject } from 'kubernetes-types/meta/v1.js';
import { LabelSelector, labelSelectorFromObject, labelSelectorFromSet, type LabelRequirement } from '../api/selectors/labelSelector.js';
import type { InformerFactory, SharedInformer } from '../client/index.js';

type Selected = KubeObject & { spec?: { selector?: unknown } };

const SERVICES = { group: '', version: 'v1', resource: 'services' };
const REPLICATION_CONTROLLERS = { group: '', version: 'v1', resource: 'replicationcontrollers' };
const REPLICA_SETS = { group: 'apps', version: 'v1', resource: 'replicasets' };
const STATEFUL_SETS = { group: 'apps', version: 'v1', resource: 'statefulsets' };

/** Computes default spreading selectors from Service, ReplicationController, ReplicaSet and StatefulSet informers. */
export class DefaultSpreadSelector {
  readonly #services: SharedInformer<Selected>;
  readonly #replicationControllers: SharedInformer<Selected>;
  readonly #replicaSets: SharedInformer<Selected>;
  readonly #statefulSets: SharedInformer<Selected>;

  /** Requests its informers from `informers` (before they start). */
  constructor(informers: InformerFactory) {
    this.#services = informers.informerFor<Selected>(SERVICES);
    this.#replicationControllers = informers.informerFor<Selected>(REPLICATION_CONTROLLERS);
    this.#replicaSets = informers.informerFor<Selected>(REPLICA_SETS);
    this.#statefulSets = informers.informerFor<Selected>(STATEFUL_SETS);
  }

  /** The default spreading selector of `pod`; see the module comment. */
  selectorFor(pod: Pod): LabelSelector {
    const namespace = pod.metadata?.namespace ?? '';
    const labels = pod.metadata?.labels ?? {};
    const set: Record<string, string> = {};
    for (const service of this.#services.lister.namespace(namespace).list()) {
      const selector = service.spec?.selector as Record<string, string> | undefined;
      if (selector === undefined || Object.keys(selector).length === 0) continue;
      if (labelSelectorFromSet(selector).matches(labels)) Object.assign(set, selector);
    }
    const owner = pod.metadata?.ownerReferences?.find((ref) => ref.controller === true);
    const ownerOf = (informer: SharedInformer<Selected>): Selected | undefined => {
      const found = owner !== undefined ? informer.lister.get(owner.name, namespace) : undefined;
      return found?.metadata.uid === owner?.uid ? found : undefined;
    };
    if (owner?.kind === 'ReplicationController') Object.assign(set, ownerOf(this.#replicationControllers)?.spec?.selector ?? {});
    const requirements: LabelRequirement[] = Object.keys(set).length > 0 ? [...labelSelectorFromSet(set).requirements] : [];
    const setOwner = owner?.kind === 'ReplicaSet' ? ownerOf(this.#replicaSets) : owner?.kind === 'StatefulSet' ? ownerOf(this.#statefulSets) : undefined;
    if (setOwner !== undefined) {
      try {
        requirements.push(...labelSelectorFromObject(setOwner.spec?.selector as LabelSelectorObject | undefined).requirements);
      } catch {
        // An unparseable owner selector adds nothing, as upstream.
      }
    }
    return requirements.length > 0 ? LabelSelector.of(requirements) : LabelSelector.everything();
  }
}
