/**
 * The ownerReferences `persistentVolumeClaimRetentionPolicy` asks for on a pod's claims
 * (upstream `isClaimOwnerUpToDate` / `updateClaimOwnerRefForSetAndPod`): whenDeleted
 * Delete makes the set a controller owner of the claims of pods it still wants;
 * whenScaled Delete makes a scaled-down pod the controller owner of its claims; the
 * garbage collector then deletes the claims with their owner. Claims with a stale
 * reference (same name, other uid) or another controller are left alone.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { PodObject } from '../replicaset/podState.js';
import type { ClaimObject } from './statefulPod.js';
import type { StatefulSetObject } from './statefulSetKind.js';

const refersTo = (ref: OwnerReference, apiVersion: string, kind: string, name: string | undefined): boolean =>
  ref.apiVersion === apiVersion && ref.kind === kind && ref.name === name;

const controllerRef = (apiVersion: string, kind: string, name: string | undefined, uid: string | undefined): OwnerReference => ({
  apiVersion,
  kind,
  name: name ?? '',
  uid: uid ?? '',
  controller: true,
  blockOwnerDeletion: true,
});

/**
 * The ownerReferences `claim` should have for `pod` of `set` (`scaledDown`: the pod's
 * ordinal is outside the set's range), or undefined when the claim is to be left as it is.
 */
export function wantedClaimOwners(claim: ClaimObject, set: StatefulSetObject, pod: PodObject, scaledDown: boolean): OwnerReference[] | undefined {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy;
  const deleteWithSet = policy?.whenDeleted === 'Delete';
  const deleteWhenScaled = policy?.whenScaled === 'Delete';
  const refs = claim.metadata.ownerReferences ?? [];
  const isSet = (ref: OwnerReference): boolean => refersTo(ref, 'apps/v1', 'StatefulSet', set.metadata.name);
  const isPod = (ref: OwnerReference): boolean => refersTo(ref, 'v1', 'Pod', pod.metadata.name);
  if (refs.some((ref) => (isSet(ref) && ref.uid !== set.metadata.uid) || (isPod(ref) && ref.uid !== pod.metadata.uid))) return undefined;
  const others = refs.filter((ref) => !isSet(ref) && !isPod(ref));
  if (!deleteWithSet && !deleteWhenScaled) return others;
  if (others.some((ref) => ref.controller === true)) return others;
  const wanted = [...others];
  if (deleteWithSet && !(deleteWhenScaled && scaledDown)) wanted.push(controllerRef('apps/v1', 'StatefulSet', set.metadata.name, set.metadata.uid));
  if (deleteWhenScaled && scaledDown) wanted.push(controllerRef('v1', 'Pod', pod.metadata.name, pod.metadata.uid));
  return wanted;
}

/** True when `claim` already has exactly the `wanted` ownerReferences. */
export function ownersMatch(claim: ClaimObject, wanted: readonly OwnerReference[]): boolean {
  const key = (ref: OwnerReference): string => `${ref.apiVersion}/${ref.kind}/${ref.name}/${ref.uid}/${ref.controller === true}`;
  const have = (claim.metadata.ownerReferences ?? []).map(key).sort();
  const want = wanted.map(key).sort();
  return have.length === want.length && have.every((k, i) => k === want[i]);
}
