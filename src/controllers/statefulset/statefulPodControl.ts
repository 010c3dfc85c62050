/**
 * The writes the StatefulSet controller makes for one set (upstream
 * `StatefulPodControl`): creating a pod after its claims, deleting a pod (only the very
 * pod the cache showed: a uid precondition), restoring a pod's identity labels and a
 * claim's retention ownerReferences, each recorded as an event on the set with
 * upstream's reasons and messages ("create Pod web-0 in StatefulSet web successful").
 */
import { isStatusReason } from '../../api/status.js';
import type { EventRecorder, EventType, Lister, RestClient } from '../../client/index.js';
import type { PodObject } from '../replicaset/podState.js';
import { ownersMatch, wantedClaimOwners } from './claimRetention.js';
import { claimsFor, identityLabels } from './statefulPod.js';
import type { ClaimObject } from './statefulPod.js';
import { CLAIMS, PODS } from './statefulSetKind.js';
import type { StatefulSetObject } from './statefulSetKind.js';

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const capitalized = (verb: string): string => verb.charAt(0).toUpperCase() + verb.slice(1);

/** Writes pods and claims of StatefulSets; see the module comment. */
export class StatefulPodControl {
  readonly #client: RestClient;
  readonly #events: EventRecorder;
  readonly #claims: Lister<ClaimObject>;

  constructor(client: RestClient, events: EventRecorder, claims: Lister<ClaimObject>) {
    this.#client = client;
    this.#events = events;
    this.#claims = claims;
  }

  #record(set: StatefulSetObject, type: EventType, reason: string, message: string): void {
    this.#events.record({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: set.metadata }, type, reason, message);
  }

  #podEvent(set: StatefulSetObject, verb: string, pod: PodObject, err?: unknown): void {
    const subject = `${verb} Pod ${pod.metadata.name ?? ''} in StatefulSet ${set.metadata.name ?? ''}`;
    if (err === undefined) this.#record(set, 'Normal', `Successful${capitalized(verb)}`, `${subject} successful`);
    else this.#record(set, 'Warning', `Failed${capitalized(verb)}`, `${subject} failed error: ${messageOf(err)}`);
  }

  #claimEvent(set: StatefulSetObject, claim: ClaimObject, pod: PodObject, err?: unknown): void {
    const subject = `create Claim ${claim.metadata.name ?? ''} Pod ${pod.metadata.name ?? ''} in StatefulSet ${set.metadata.name ?? ''}`;
    if (err === undefined) this.#record(set, 'Normal', 'SuccessfulCreate', `${subject} success`);
    else this.#record(set, 'Warning', 'FailedCreate', `${subject} failed error: ${messageOf(err)}`);
  }

  /** True when a claim of the pod with `ordinal` still belongs to an earlier pod of that name (wait for the garbage collector). */
  claimIsStale(set: StatefulSetObject, ordinal: number, podName: string): boolean {
    return claimsFor(set, ordinal).some((wanted) => {
      const claim = this.#claims.get(wanted.metadata.name ?? '', set.metadata.namespace);
      return claim?.metadata.ownerReferences?.some((ref) => ref.kind === 'Pod' && ref.name === podName) === true;
    });
  }

  /** Creates the claims of `pod` (ordinal `ordinal`) that do not exist; throws while one is being deleted. */
  async createClaims(set: StatefulSetObject, pod: PodObject, ordinal: number, signal?: AbortSignal): Promise<void> {
    const failures: string[] = [];
    for (const claim of claimsFor(set, ordinal)) {
      const existing = this.#claims.get(claim.metadata.name ?? '', set.metadata.namespace);
      if (existing !== undefined) {
        if (existing.metadata.deletionTimestamp !== undefined) failures.push(`pvc ${claim.metadata.name ?? ''} is being deleted`);
        continue;
      }
      try {
        await this.#client.create({ ...CLAIMS, namespace: set.metadata.namespace }, claim, { signal });
        this.#claimEvent(set, claim, pod);
      } catch (err) {
        if (isStatusReason(err, 'AlreadyExists')) continue;
        this.#claimEvent(set, claim, pod, err);
        failures.push(`failed to create PVC ${claim.metadata.name ?? ''}: ${messageOf(err)}`);
      }
    }
    if (failures.length > 0) throw new Error(failures.join(', '));
  }

  /** Creates `pod` (ordinal `ordinal`) after its claims; returns the created pod. */
  async createPod(set: StatefulSetObject, pod: PodObject, ordinal: number, signal?: AbortSignal): Promise<PodObject> {
    await this.createClaims(set, pod, ordinal, signal);
    try {
      const created = await this.#client.create<PodObject>({ ...PODS, namespace: set.metadata.namespace }, pod, { signal });
      this.#podEvent(set, 'create', pod);
      return created;
    } catch (err) {
      if (!isStatusReason(err, 'AlreadyExists')) this.#podEvent(set, 'create', pod, err);
      throw err;
    }
  }

  /** Deletes `pod` (that very pod: a uid precondition); a pod already gone is no failure. */
  async deletePod(set: StatefulSetObject, pod: PodObject, signal?: AbortSignal): Promise<void> {
    try {
      await this.#client.delete({ ...PODS, namespace: pod.metadata.namespace }, pod.metadata.name ?? '', { signal, preconditions: { uid: pod.metadata.uid ?? '' } });
      this.#podEvent(set, 'delete', pod);
    } catch (err) {
      if (isStatusReason(err, 'NotFound')) return;
      this.#podEvent(set, 'delete', pod, err);
      throw err;
    }
  }

  /** Restores the name and index labels of `pod`. */
  async fixIdentity(set: StatefulSetObject, pod: PodObject, signal?: AbortSignal): Promise<void> {
    const patch = { metadata: { labels: identityLabels(set, pod), resourceVersion: pod.metadata.resourceVersion } };
    try {
      await this.#client.patch({ ...PODS, namespace: pod.metadata.namespace }, pod.metadata.name ?? '', 'merge', patch, { signal });
      this.#podEvent(set, 'update', pod);
    } catch (err) {
      this.#podEvent(set, 'update', pod, err);
      throw err;
    }
  }

  /** Puts on the claims of `pod` (ordinal `ordinal`) the ownerReferences the retention policy wants. */
  async fixClaimOwners(set: StatefulSetObject, pod: PodObject, ordinal: number, scaledDown: boolean, signal?: AbortSignal): Promise<void> {
    for (const wantedClaim of claimsFor(set, ordinal)) {
      const claim = this.#claims.get(wantedClaim.metadata.name ?? '', set.metadata.namespace);
      if (claim === undefined) continue;
      const owners = wantedClaimOwners(claim, set, pod, scaledDown);
      if (owners === undefined || ownersMatch(claim, owners)) continue;
      const patch = { metadata: { ownerReferences: owners.length > 0 ? owners : null, resourceVersion: claim.metadata.resourceVersion } };
      try {
        await this.#client.patch({ ...CLAIMS, namespace: claim.metadata.namespace }, claim.metadata.name ?? '', 'merge', patch, { signal });
      } catch (err) {
        if (!isStatusReason(err, 'NotFound')) throw err;
      }
    }
  }

  /** True when some claim of `pod` lacks the ownerReferences the retention policy wants. */
  claimOwnersNeedFix(set: StatefulSetObject, pod: PodObject, ordinal: number, scaledDown: boolean): boolean {
    return claimsFor(set, ordinal).some((wantedClaim) => {
      const claim = this.#claims.get(wantedClaim.metadata.name ?? '', set.metadata.namespace);
      if (claim === undefined) return false;
      const owners = wantedClaimOwners(claim, set, pod, scaledDown);
      return owners !== undefined && !ownersMatch(claim, owners);
    });
  }
}
