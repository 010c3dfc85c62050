/**
 * The disruption controller (upstream `disruption`): keeps every PodDisruptionBudget's
 * status current — the pods its selector matches, how many are healthy (Ready, not
 * deleting, not just approved for eviction), how many must be (minAvailable or
 * maxUnavailable, percentages against the pods' controllers' scale), the disruptions
 * that allows, pending evictions (`disruptedPods`, dropped once their pod is deleting
 * or after two minutes), observedGeneration and the DisruptionAllowed condition. A
 * budget it cannot compute allows no disruption (condition reason SyncFailed). Pods
 * left with a stale DisruptionTarget condition get it set back to False.
 */
import type { PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import type { LabelSelector as LabelSelectorObject } from 'kubernetes-types/meta/v1.js';
import { labelSelectorFromObject, selectorToString } from '../../api/selectors/labelSelector.js';
import { isStatusReason } from '../../api/status.js';
import { EventRecorder, deletedObject, objectKey, splitKey } from '../../client/index.js';
import type { EventType, SharedInformer } from '../../client/index.js';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controller.js';
import { WorkLoop } from '../workLoop.js';
import type { PodObject } from '../replicaset/podState.js';
import {
  DISRUPTION_ALLOWED,
  SYNC_FAILED,
  conditionUpToDate,
  countHealthy,
  formatTime,
  expectedAndDesired,
  needsScale,
  pendingDisruptions,
  setCondition,
  withAllowedCondition,
  type BudgetObject,
} from './budgetStatus.js';
import { expectedScale, type ScaleSources, type ScaledObject } from './controllerScale.js';
import { clearDisruptionPatch, staleDisruptionAt } from './staleDisruption.js';

const PDBS = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' };
const PODS = { group: '', version: 'v1', resource: 'pods' };

/** Whether the budget's selector matches `labels` (a missing selector matches nothing). */
function selects(budget: BudgetObject, labels: Readonly<Record<string, string>>): boolean {
  const selector = budget.spec?.selector;
  if (selector === undefined || selector === null) return false;
  try {
    return labelSelectorFromObject(selector as LabelSelectorObject).matches(labels);
  } catch {
    return false;
  }
}

function sameDisrupted(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>>): boolean {
  const left = a ?? {};
  return Object.keys(left).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => left[k] === v);
}

/** The disruption controller; see the module comment. */
export class DisruptionController implements Controller {
  readonly #context: ControllerContext;
  readonly #budgets: SharedInformer<BudgetObject>;
  readonly #pods: SharedInformer<PodObject>;
  readonly #scales: ScaleSources;
  readonly #loop: WorkLoop;
  readonly #staleLoop: WorkLoop;
  readonly #events: EventRecorder;

  constructor(context: ControllerContext) {
    this.#context = context;
    this.#events = new EventRecorder(context.client, context.clock, { component: 'controllermanager' }, (err) =>
      context.log(`event: ${err instanceof Error ? err.message : String(err)}`),
    );
    const informerFor = (group: string, version: string, resource: string) => context.informers.informerFor<ScaledObject>({ group, version, resource });
    this.#budgets = context.informers.informerFor<BudgetObject>(PDBS);
    this.#pods = context.informers.informerFor<PodObject>(PODS);
    this.#scales = {
      replicaSets: informerFor('apps', 'v1', 'replicasets'),
      deployments: informerFor('apps', 'v1', 'deployments'),
      statefulSets: informerFor('apps', 'v1', 'statefulsets'),
      replicationControllers: informerFor('', 'v1', 'replicationcontrollers'),
      client: context.client,
    };
    this.#loop = new WorkLoop({
      clock: context.clock,
      informers: [this.#budgets, this.#pods, this.#scales.replicaSets, this.#scales.deployments, this.#scales.statefulSets, this.#scales.replicationControllers],
      sync: (key, signal) => this.sync(key, signal),
      log: context.log,
      workers: 2,
    });
    this.#staleLoop = new WorkLoop({ clock: context.clock, informers: [this.#pods], sync: (key, signal) => this.syncStalePod(key, signal), log: context.log });
    this.#budgets.addEventHandler({
      onAdd: (pdb) => this.#loop.enqueue(objectKey(pdb)),
      onUpdate: (_old, pdb) => this.#loop.enqueue(objectKey(pdb)),
      onDelete: (gone) => this.#loop.enqueue(objectKey(deletedObject(gone))),
    });
    this.#pods.addEventHandler({
      onAdd: (pod) => {
        this.#enqueueBudgetsOf(pod);
        this.#watchStaleness(pod);
      },
      onUpdate: (old, pod) => {
        this.#enqueueBudgetsOf(pod);
        this.#watchStaleness(pod);
        if (JSON.stringify(old.metadata.labels) !== JSON.stringify(pod.metadata.labels)) this.#enqueueBudgetsOf(old);
      },
      onDelete: (gone) => this.#enqueueBudgetsOf(deletedObject(gone)),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.#loop.run(signal), this.#staleLoop.run(signal)]);
  }

  #watchStaleness(pod: PodObject): void {
    const at = staleDisruptionAt(pod);
    if (at !== undefined) this.#staleLoop.enqueueAfter(objectKey(pod), Math.max(0, at - this.#context.clock.now()));
  }

  /** Sets the DisruptionTarget condition of the pod at `key` back to False once it is stale. */
  async syncStalePod(key: string, signal?: AbortSignal): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.#pods.lister.get(name, namespace);
    if (pod === undefined) return;
    const at = staleDisruptionAt(pod);
    if (at === undefined) return;
    const now = this.#context.clock.now();
    if (at > now) {
      this.#staleLoop.enqueueAfter(key, at - now);
      return;
    }
    await this.#context.client.patch({ ...PODS, namespace }, name, 'strategic', clearDisruptionPatch(formatTime(now)), { subresource: 'status', signal });
  }

  #enqueueBudgetsOf(pod: PodObject): void {
    for (const budget of this.#budgets.lister.namespace(pod.metadata.namespace ?? '').list()) {
      if (selects(budget, pod.metadata.labels ?? {})) this.#loop.enqueue(objectKey(budget));
    }
  }

  /** Recomputes the status of the budget at `key` (`namespace/name`). */
  async sync(key: string, signal?: AbortSignal): Promise<void> {
    const { namespace, name } = splitKey(key);
    const budget = this.#budgets.lister.get(name, namespace);
    if (budget === undefined) return;
    try {
      await this.#trySync(budget, signal);
    } catch (err) {
      if (isStatusReason(err, 'Conflict') || signal?.aborted === true) throw err;
      await this.#failSafe(budget, err, signal);
    }
  }

  async #trySync(budget: BudgetObject, signal?: AbortSignal): Promise<void> {
    const pods = this.#pods.lister
      .namespace(budget.metadata.namespace ?? '')
      .list()
      .filter((pod) => selects(budget, pod.metadata.labels ?? {}));
    if (pods.length === 0) this.#event(budget, 'Normal', 'NoPods', 'No matching pods found');
    let scale = 0;
    if (needsScale(budget)) {
      let found;
      try {
        found = await expectedScale(this.#scales, pods, signal);
      } catch (err) {
        if (signal?.aborted !== true) this.#event(budget, 'Warning', 'NoControllers', err instanceof Error ? err.message : String(err));
        throw err;
      }
      scale = found.expected;
      if (found.unmanaged.length > 0) {
        this.#event(
          budget,
          'Warning',
          'UnmanagedPods',
          `Pods selected by this PodDisruptionBudget (selector: ${selectorToString(budget.spec?.selector as LabelSelectorObject)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
        );
      }
    }
    const { expected, desired } = expectedAndDesired(budget, pods.length, () => scale);
    const now = this.#context.clock.now();
    const { disrupted, recheckAt } = pendingDisruptions(pods, budget, now);
    const healthy = countHealthy(pods, disrupted, now);
    const allowed = expected <= 0 ? 0 : Math.max(0, healthy - desired);
    const generation = budget.metadata.generation ?? 0;
    const current = budget.status;
    const unchanged =
      current !== undefined &&
      current.currentHealthy === healthy &&
      current.desiredHealthy === desired &&
      current.expectedPods === expected &&
      current.disruptionsAllowed === allowed &&
      sameDisrupted(current.disruptedPods, disrupted) &&
      current.observedGeneration === generation &&
      conditionUpToDate(current);
    if (!unchanged) {
      const status: PodDisruptionBudgetStatus = {
        currentHealthy: healthy,
        desiredHealthy: desired,
        expectedPods: expected,
        disruptionsAllowed: allowed,
        observedGeneration: generation,
        ...(Object.keys(disrupted).length > 0 ? { disruptedPods: disrupted } : {}),
        ...(current?.conditions !== undefined ? { conditions: current.conditions } : {}),
      };
      await this.#writeStatus(budget, withAllowedCondition(status, now), signal);
    }
    if (recheckAt !== undefined) this.#loop.enqueueAfter(objectKey(budget), Math.max(0, recheckAt - now) + 1000);
  }

  /** Upstream `failSafe`: no disruptions allowed, and why. */
  async #failSafe(budget: BudgetObject, err: unknown, signal?: AbortSignal): Promise<void> {
    const current = budget.status ?? { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptionsAllowed: 0 };
    const message = err instanceof Error ? err.message : String(err);
    this.#event(budget, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${message}`);
    const conditions = setCondition(
      current.conditions ?? [],
      { type: DISRUPTION_ALLOWED, status: 'False', reason: SYNC_FAILED, message, observedGeneration: current.observedGeneration ?? 0 },
      this.#context.clock.now(),
    );
    await this.#writeStatus(budget, { ...current, disruptionsAllowed: 0, conditions }, signal);
    throw err;
  }

  #event(budget: BudgetObject, type: EventType, reason: string, message: string): void {
    this.#events.record({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: budget.metadata }, type, reason, message);
  }

  async #writeStatus(budget: BudgetObject, status: PodDisruptionBudgetStatus, signal?: AbortSignal): Promise<void> {
    const updated: BudgetObject = { ...budget, status };
    await this.#context.client.update({ ...PDBS, namespace: budget.metadata.namespace }, updated, { subresource: 'status', signal });
  }
}

/** The disruption controller as the manager builds it. */
export const disruptionControllerDescriptor: ControllerDescriptor = {
  name: 'disruption',
  create: (context) => new DisruptionController(context),
};
