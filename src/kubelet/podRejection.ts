/**
 * Pod admission refusals (upstream kubelet `rejectPod`): a pod the kubelet does not
 * admit is never run; its status becomes phase Failed with the refusal's reason and
 * the message "Pod was rejected: <message>", and a Warning event carries the reason.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isStatusReason } from '../api/status.js';
import type { RestClient } from '../client/index.js';
import type { PodEventRecorder } from './events.js';
import { podQOSClass } from './pod/qos.js';
import { sysctlRejection } from './security/sysctls.js';

/** Why a pod is not admitted. */
export interface PodRejection {
  reason: string;
  message: string;
}

/** The first admission check `pod` fails, or undefined when the kubelet may run it. */
export function admissionRejection(pod: Pod): PodRejection | undefined {
  return sysctlRejection(pod);
}

/** Marks `pod` rejected (once: a pod already Failed for this reason is left alone). */
export async function rejectPod(client: RestClient, events: PodEventRecorder, pod: Pod, rejection: PodRejection): Promise<void> {
  if (pod.status?.phase === 'Failed' && pod.status.reason === rejection.reason) return;
  events.record(pod, 'Warning', rejection.reason, rejection.message);
  const status = { phase: 'Failed', reason: rejection.reason, message: `Pod was rejected: ${rejection.message}`, qosClass: podQOSClass(pod) };
  try {
    await client.patch({ group: '', version: 'v1', resource: 'pods', namespace: pod.metadata?.namespace ?? '' }, pod.metadata?.name ?? '', 'merge', { metadata: { uid: pod.metadata?.uid ?? '' }, status }, { subresource: 'status' });
  } catch (err) {
    if (!isStatusReason(err, 'NotFound') && !isStatusReason(err, 'Conflict')) throw err;
  }
}
