/**
 * The Deployment controller (upstream `deployment`): for each Deployment, claims the
 * ReplicaSets its selector matches, then — unless it is being deleted (status only),
 * paused or merely resized (scale without rolling) — rolls its pods from the old
 * ReplicaSets to the one for its current template with its strategy (RollingUpdate or
 * Recreate), and reports status and conditions. ReplicaSet and pod changes requeue the
 * deployment that owns them; orphan sets requeue the deployments that may adopt them.
 */
import type { LabelSelector as LabelSelectorObject } from 'kubernetes-types/meta/v1.js';
import { labelSelectorFromObject } from '../../api/selectors/labelSelector.js';
import type { LabelSelector } from '../../api/selectors/labelSelector.js';
import { EventRecorder, deletedObject, objectKey, splitKey } from '../../client/index.js';
import type { SharedInformer } from '../../client/index.js';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controller.js';
import type { PodObject } from '../replicaset/podState.js';
import { WorkLoop } from '../workLoop.js';
import type { DeploymentObject, ReplicaSetObject } from './objects.js';
import { deploymentsIn, replicaSetsIn } from './objects.js';
import { recreateRollout } from './recreateRollout.js';
import { claimReplicaSets, controllerRefOf } from './replicaSetClaims.js';
import { Rollout } from './rollout.js';
import { rolloutRolling } from './rollingUpdate.js';
import { checkPausedConditions, isScalingEvent, syncStatusOnly, syncWithoutRolling } from './scalingSync.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };

/** The Deployment controller; see the module comment. */
export class DeploymentController implements Controller {
  readonly #context: ControllerContext;
  readonly #deployments: SharedInformer<DeploymentObject>;
  readonly #replicaSets: SharedInformer<ReplicaSetObject>;
  readonly #pods: SharedInformer<PodObject>;
  readonly #events: EventRecorder;
  readonly #loop: WorkLoop;

  constructor(context: ControllerContext) {
    this.#context = context;
    this.#deployments = context.informers.informerFor<DeploymentObject>(deploymentsIn());
    this.#replicaSets = context.informers.informerFor<ReplicaSetObject>(replicaSetsIn());
    this.#pods = context.informers.informerFor<PodObject>(PODS);
    this.#events = new EventRecorder(context.client, context.clock, { component: 'deployment-controller' }, (err) => context.log(`event: ${err instanceof Error ? err.message : String(err)}`));
    this.#loop = new WorkLoop({
      clock: context.clock,
      informers: [this.#deployments, this.#replicaSets, this.#pods],
      sync: (key, signal) => this.sync(key, signal),
      log: context.log,
      workers: 5,
    });
    this.#deployments.addEventHandler({
      onAdd: (d) => this.#loop.enqueue(objectKey(d)),
      onUpdate: (_old, d) => this.#loop.enqueue(objectKey(d)),
      onDelete: (gone) => {
        const d = deletedObject(gone);
        this.#events.forget(d.metadata.uid ?? '');
        this.#loop.enqueue(objectKey(d));
      },
    });
    this.#replicaSets.addEventHandler({
      onAdd: (rs) => this.#replicaSetChanged(undefined, rs),
      onUpdate: (old, rs) => this.#replicaSetChanged(old, rs),
      onDelete: (gone) => this.#enqueueOwner(deletedObject(gone)),
    });
    this.#pods.addEventHandler({ onDelete: (gone) => this.#podDeleted(deletedObject(gone)) });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.#loop.run(signal);
    await this.#events.flushed();
  }

  /** Syncs the deployment at `key` (`namespace/name`); see the module comment. */
  async sync(key: string, signal?: AbortSignal): Promise<void> {
    const { namespace = '', name } = splitKey(key);
    const cached = this.#deployments.lister.get(name, namespace);
    if (cached === undefined) return;
    const selector = this.#selectorOf(cached);
    const rollout = new Rollout(
      { client: this.#context.client, events: this.#events, clock: this.#context.clock, requeueAfter: (ms) => this.#loop.enqueueAfter(key, ms), signal },
      cached,
      [],
      new Map(),
    );
    if (selector === undefined || selector.isEmpty()) {
      rollout.event('Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((cached.status?.observedGeneration ?? 0) < (cached.metadata.generation ?? 0)) {
        await rollout.writeStatus({ ...cached.status, observedGeneration: cached.metadata.generation ?? 0 });
      }
      return;
    }
    const sets = await claimReplicaSets(
      { client: this.#context.client, deployment: cached, selector, signal, canAdopt: () => this.#canAdopt(cached, signal) },
      this.#replicaSets.lister.namespace(namespace).list(),
    );
    rollout.sets.push(...sets);
    const podsByReplicaSet = rollout.podsByReplicaSet as Map<string, PodObject[]>;
    const owned = new Set(sets.map((rs) => rs.metadata.uid));
    for (const pod of this.#pods.lister.namespace(namespace).list((labels) => selector.matches(labels))) {
      const uid = controllerRefOf(pod)?.uid;
      if (uid !== undefined && owned.has(uid)) podsByReplicaSet.set(uid, [...(podsByReplicaSet.get(uid) ?? []), pod]);
    }
    if (cached.metadata.deletionTimestamp !== undefined) return syncStatusOnly(rollout);
    await checkPausedConditions(rollout);
    if (rollout.deployment.spec?.paused === true || (await isScalingEvent(rollout))) return syncWithoutRolling(rollout);
    if (rollout.deployment.spec?.strategy?.type === 'Recreate') return recreateRollout(rollout);
    return rolloutRolling(rollout);
  }

  #selectorOf(deployment: DeploymentObject): LabelSelector | undefined {
    try {
      return labelSelectorFromObject(deployment.spec?.selector as LabelSelectorObject | undefined);
    } catch (err) {
      this.#context.log(`${objectKey(deployment)}: invalid selector: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  async #canAdopt(deployment: DeploymentObject, signal?: AbortSignal): Promise<void> {
    const fresh = await this.#context.client.get<DeploymentObject>(deploymentsIn(deployment.metadata.namespace), deployment.metadata.name ?? '', { signal });
    const key = objectKey(deployment);
    if (fresh.metadata.uid !== deployment.metadata.uid) throw new Error(`original Deployment ${key} is gone: got uid ${fresh.metadata.uid}, wanted ${deployment.metadata.uid}`);
    if (fresh.metadata.deletionTimestamp !== undefined) throw new Error(`${key} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }

  /** The key of the deployment controlling `obj`, if this informer knows it. */
  #ownerKey(obj: ReplicaSetObject): string | undefined {
    const ref = controllerRefOf(obj);
    if (ref === undefined || ref.kind !== 'Deployment') return undefined;
    const deployment = this.#deployments.lister.get(ref.name, obj.metadata.namespace);
    return deployment?.metadata.uid === ref.uid ? objectKey(deployment) : undefined;
  }

  #enqueueOwner(rs: ReplicaSetObject): void {
    const key = this.#ownerKey(rs);
    if (key !== undefined) this.#loop.enqueue(key);
  }

  /** Orphan sets wake every deployment whose selector matches them. */
  #enqueueMatching(rs: ReplicaSetObject): void {
    for (const deployment of this.#deployments.lister.namespace(rs.metadata.namespace ?? '').list()) {
      const selector = this.#selectorOf(deployment);
      if (selector !== undefined && !selector.isEmpty() && selector.matches(rs.metadata.labels ?? {})) this.#loop.enqueue(objectKey(deployment));
    }
  }

  #replicaSetChanged(old: ReplicaSetObject | undefined, rs: ReplicaSetObject): void {
    if (old !== undefined && old.metadata.resourceVersion === rs.metadata.resourceVersion) return;
    if (old !== undefined) {
      const oldKey = this.#ownerKey(old);
      if (oldKey !== undefined && oldKey !== this.#ownerKey(rs)) this.#loop.enqueue(oldKey);
    }
    if (controllerRefOf(rs) !== undefined) {
      this.#enqueueOwner(rs);
      return;
    }
    if (rs.metadata.deletionTimestamp === undefined) this.#enqueueMatching(rs);
  }

  /** A Recreate rollout waits for old pods to be gone: their deletion wakes it. */
  #podDeleted(pod: PodObject): void {
    const ref = controllerRefOf(pod);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = this.#replicaSets.lister.get(ref.name, pod.metadata.namespace);
    if (rs === undefined || rs.metadata.uid !== ref.uid) return;
    const key = this.#ownerKey(rs);
    if (key === undefined) return;
    if (this.#deployments.lister.get(splitKey(key).name, pod.metadata.namespace)?.spec?.strategy?.type === 'Recreate') this.#loop.enqueue(key);
  }
}

/** The Deployment controller as the manager builds it. */
export const deploymentControllerDescriptor: ControllerDescriptor = {
  name: 'deployment',
  create: (context) => new DeploymentController(context),
};
