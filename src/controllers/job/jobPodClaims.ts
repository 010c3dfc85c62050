/**
 * Which pods a Job owns (upstream `getPodsForJob` with `ClaimPods`): pods it controls
 * that its selector matches are kept; controlled pods that stopped matching are
 * released (ownerReference and tracking finalizer removed); matching orphans are
 * adopted with an ownerReference and the tracking finalizer, unless either side is
 * being deleted. Writes carry the pod's resourceVersion, so a stale cache means a
 * conflict and a retry. Terminated pods are claimed too: the Job still has to count them.
 */
import { isStatusReason } from '../../api/status.js';
import { labelSelectorFromObject } from '../../api/selectors/labelSelector.js';
import type { RestClient } from '../../client/index.js';
import { jobOwnerReference } from './jobPodTemplate.js';
import { JOB_TRACKING_FINALIZER, type JobObject, type PodObject } from './jobPods.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };

/** What claiming needs besides the pods. */
export interface JobClaimContext {
  client: RestClient;
  job: JobObject;
  /** Confirms with a fresh read that the Job may still adopt (same uid, not being deleted); throws otherwise. */
  canAdopt(): Promise<void>;
  signal?: AbortSignal;
}

/** The controller ownerReference of `pod`, if any. */
export function controllerRefOf(pod: PodObject): { kind: string; apiVersion: string; name: string; uid: string } | undefined {
  return pod.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

async function patchOwnership(context: JobClaimContext, pod: PodObject, ownerReferences: unknown[], finalizers: string[]): Promise<boolean> {
  const metadata = {
    ownerReferences: ownerReferences.length > 0 ? ownerReferences : null,
    finalizers: finalizers.length > 0 ? finalizers : null,
    uid: pod.metadata.uid,
    resourceVersion: pod.metadata.resourceVersion,
  };
  try {
    await context.client.patch({ ...PODS, namespace: pod.metadata.namespace }, pod.metadata.name ?? '', 'merge', { metadata }, { signal: context.signal });
    return true;
  } catch (err) {
    if (isStatusReason(err, 'NotFound')) return false;
    throw err;
  }
}

/** The pods of `pods` (all of the Job's namespace) the Job owns after adopting and releasing. */
export async function claimJobPods(context: JobClaimContext, pods: readonly PodObject[]): Promise<PodObject[]> {
  const { job } = context;
  const selector = labelSelectorFromObject(job.spec?.selector);
  const jobDeleting = job.metadata.deletionTimestamp !== undefined;
  const claimed: PodObject[] = [];
  let adoptionChecked = false;
  for (const pod of pods) {
    const ref = controllerRefOf(pod);
    const matches = selector.matches(pod.metadata.labels ?? {});
    const finalizers = pod.metadata.finalizers ?? [];
    if (ref !== undefined) {
      if (ref.uid !== job.metadata.uid) continue;
      if (matches) claimed.push(pod);
      else if (!jobDeleting) {
        const rest = (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== job.metadata.uid);
        await patchOwnership(context, pod, rest, finalizers.filter((f) => f !== JOB_TRACKING_FINALIZER));
      }
      continue;
    }
    if (!matches || jobDeleting || pod.metadata.deletionTimestamp !== undefined) continue;
    if (!adoptionChecked) {
      await context.canAdopt();
      adoptionChecked = true;
    }
    const owners = [...(pod.metadata.ownerReferences ?? []), jobOwnerReference(job)];
    const withFinalizer = finalizers.includes(JOB_TRACKING_FINALIZER) ? finalizers : [...finalizers, JOB_TRACKING_FINALIZER];
    if (await patchOwnership(context, pod, owners, withFinalizer)) {
      claimed.push({ ...pod, metadata: { ...pod.metadata, ownerReferences: owners, finalizers: withFinalizer } });
    }
  }
  return claimed;
}
