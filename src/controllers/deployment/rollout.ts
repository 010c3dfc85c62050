/**
 * One sync of one deployment: the deployment as last written, the ReplicaSets it owns
 * and their pods, and the writes every strategy shares (upstream's
 * `scaleReplicaSet`, `cleanupDeployment`, `syncDeploymentStatus`, `syncRolloutStatus`).
 * Every write keeps the local copy current, so one sync never conflicts with itself.
 */
import type { DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import { isStatusReason } from '../../api/status.js';
import type { Clock, EventRecorder, RestClient } from '../../client/index.js';
import type { PodObject } from '../replicaset/podState.js';
import type { DeploymentObject, ReplicaSetObject } from './objects.js';
import { deploymentsIn, replicaSetsIn, specReplicas } from './objects.js';
import { byCreation } from './replicaSetSets.js';
import { REVISION, replicasAnnotationsNeedUpdate, revisionOf, setReplicasAnnotations } from './revisionAnnotations.js';
import { maxSurge } from './rolloutBounds.js';
import { canonical } from './replicaSetSets.js';
import { calculateStatus, rolloutStatus, timeUntilDeadline } from './deploymentStatus.js';

/** What a sync works with besides the objects. */
export interface RolloutDeps {
  client: RestClient;
  events: EventRecorder;
  clock: Clock;
  /** Syncs the deployment again after `ms`. */
  requeueAfter(ms: number): void;
  signal?: AbortSignal;
}

/** A ReplicaSet after a scale: whether its size changed, and the set as now stored. */
export interface ScaleResult {
  scaled: boolean;
  rs: ReplicaSetObject;
}

/** The status fields upstream leaves out when zero (`omitempty`). */
const OMITTED_WHEN_ZERO = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const;

/** `status` as the API would store it: zero counts left out, keys in canonical order. */
function storedForm(status: DeploymentStatus | undefined): string {
  const copy: Record<string, unknown> = { ...status };
  for (const key of OMITTED_WHEN_ZERO) if (copy[key] === 0 || copy[key] === undefined) delete copy[key];
  if (Array.isArray(copy.conditions) && copy.conditions.length === 0) delete copy.conditions;
  return JSON.stringify(canonical(copy));
}

/** One sync of one deployment; see the module comment. */
export class Rollout {
  /** The deployment as last read or written. */
  deployment: DeploymentObject;
  /** The ReplicaSets the deployment owns. */
  readonly sets: ReplicaSetObject[];
  /** The deployment's pods, by the uid of the ReplicaSet controlling them. */
  readonly podsByReplicaSet: ReadonlyMap<string, readonly PodObject[]>;
  readonly deps: RolloutDeps;

  constructor(deps: RolloutDeps, deployment: DeploymentObject, sets: ReplicaSetObject[], podsByReplicaSet: ReadonlyMap<string, readonly PodObject[]>) {
    this.deps = deps;
    this.deployment = structuredClone(deployment);
    this.sets = sets;
    this.podsByReplicaSet = podsByReplicaSet;
  }

  /** `spec.replicas` of the deployment. */
  get replicas(): number {
    return specReplicas(this.deployment.spec);
  }

  /** Records an event about the deployment. */
  event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.deps.events.record({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: this.deployment.metadata }, type, reason, message);
  }

  /** Writes `status` to the deployment's status subresource (conditional on the copy's resourceVersion). */
  async writeStatus(status: DeploymentStatus): Promise<void> {
    const next = { ...this.deployment, status: storedStatus(status) };
    this.deployment = await this.deps.client.update<DeploymentObject>(deploymentsIn(this.deployment.metadata.namespace), next, { subresource: 'status', signal: this.deps.signal });
  }

  /** Upstream `SetDeploymentRevision` and its write: mirrors the new set's revision on the deployment. */
  async syncRevision(revision: string | undefined): Promise<void> {
    if (revision === undefined || this.deployment.metadata.annotations?.[REVISION] === revision) return;
    const patch = { metadata: { annotations: { [REVISION]: revision }, resourceVersion: this.deployment.metadata.resourceVersion } };
    this.deployment = await this.deps.client.patch<DeploymentObject>(deploymentsIn(this.deployment.metadata.namespace), this.deployment.metadata.name ?? '', 'merge', patch, { signal: this.deps.signal });
  }

  /** Replaces a stored ReplicaSet (conditional on its resourceVersion). */
  async updateReplicaSet(rs: ReplicaSetObject): Promise<ReplicaSetObject> {
    return this.deps.client.update<ReplicaSetObject>(replicaSetsIn(rs.metadata.namespace), rs, { signal: this.deps.signal });
  }

  /**
   * Upstream `scaleReplicaSet`: sets `rs` to `newScale` replicas and records the
   * deployment's size in its replica annotations; a ScalingReplicaSet event tells of
   * a size change.
   */
  async scaleReplicaSet(rs: ReplicaSetObject, newScale: number): Promise<ScaleResult> {
    const oldScale = specReplicas(rs.spec);
    const sizeChanges = oldScale !== newScale;
    const max = this.replicas + maxSurge(this.deployment);
    if (!sizeChanges && !replicasAnnotationsNeedUpdate(rs, this.replicas, max)) return { scaled: false, rs };
    const copy = structuredClone(rs);
    copy.spec = { ...copy.spec, replicas: newScale, selector: copy.spec?.selector ?? {} };
    setReplicasAnnotations(copy, this.replicas, max);
    const stored = await this.updateReplicaSet(copy);
    if (sizeChanges) this.event('Normal', 'ScalingReplicaSet', `Scaled ${oldScale < newScale ? 'up' : 'down'} replica set ${stored.metadata.name} from ${oldScale} to ${newScale}`);
    return { scaled: sizeChanges, rs: stored };
  }

  /** Upstream `scaleReplicaSetAndRecordEvent`: `scaleReplicaSet` unless `rs` already has `newScale` replicas. */
  async scaleTo(rs: ReplicaSetObject, newScale: number): Promise<ScaleResult> {
    if (specReplicas(rs.spec) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale);
  }

  /**
   * Upstream `cleanupDeployment`: deletes the oldest of `oldSets` beyond
   * revisionHistoryLimit, skipping any that still has (or may still have) pods.
   */
  async cleanup(oldSets: readonly ReplicaSetObject[]): Promise<void> {
    const limit = this.deployment.spec?.revisionHistoryLimit;
    if (limit === undefined || limit === null) return;
    const cleanable = oldSets.filter((rs) => rs.metadata.deletionTimestamp === undefined);
    const excess = cleanable.length - limit;
    if (excess <= 0) return;
    const byRevision = [...cleanable].sort((a, b) => (revisionOf(a) || 0) - (revisionOf(b) || 0) || byCreation(a, b));
    for (const rs of byRevision.slice(0, excess)) {
      const busy = (rs.status?.replicas ?? 0) !== 0 || specReplicas(rs.spec) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0);
      if (busy) continue;
      try {
        await this.deps.client.delete(replicaSetsIn(rs.metadata.namespace), rs.metadata.name ?? '', { signal: this.deps.signal });
      } catch (err) {
        if (!isStatusReason(err, 'NotFound')) throw err;
      }
    }
  }

  /** Upstream `syncDeploymentStatus`: writes the counts and Available condition when they changed. */
  async syncStatus(sets: readonly (ReplicaSetObject | undefined)[], newRs: ReplicaSetObject | undefined): Promise<void> {
    const next = calculateStatus(this.deployment, sets, newRs, this.deps.clock.now());
    if (storedForm(this.deployment.status) !== storedForm(next)) await this.writeStatus(next);
  }

  /**
   * Upstream `syncRolloutStatus`: writes the status with its Progressing condition
   * when it changed; when nothing changed and the rollout may still time out, syncs
   * again once the deadline has passed.
   */
  async syncRolloutStatus(sets: readonly (ReplicaSetObject | undefined)[], newRs: ReplicaSetObject | undefined): Promise<void> {
    const now = this.deps.clock.now();
    const next = rolloutStatus(this.deployment, sets, newRs, now);
    if (storedForm(this.deployment.status) !== storedForm(next)) {
      await this.writeStatus(next);
      return;
    }
    const remaining = timeUntilDeadline(this.deployment, next, now);
    if (remaining !== undefined) this.deps.requeueAfter(remaining + 1000);
  }
}

/** `status` without the zero counts upstream leaves out. */
function storedStatus(status: DeploymentStatus): DeploymentStatus {
  const copy: Record<string, unknown> = { ...status };
  for (const key of OMITTED_WHEN_ZERO) if (copy[key] === 0) delete copy[key];
  return copy as DeploymentStatus;
}
