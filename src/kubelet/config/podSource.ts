/**
 * Where the kubelet's pods come from (upstream's kubelet/types pod_update.go): the
 * annotations a config source stamps on its pods, and how to tell mirror pods
 * (the API stand-ins of static pods) apart; `isStaticPod` lives in pod/podHelpers.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';

/** Annotation with the hash identifying a static pod's manifest (also its UID). */
export const CONFIG_HASH_ANNOTATION = 'kubernetes.io/config.hash';
/** Annotation naming the source a pod came from: file, http or api. */
export const CONFIG_SOURCE_ANNOTATION = 'kubernetes.io/config.source';
/** Annotation with the time (RFC 3339) the kubelet first saw a static pod. */
export const CONFIG_SEEN_ANNOTATION = 'kubernetes.io/config.seen';
/** Annotation marking a mirror pod; its value is the config hash of the static pod it mirrors. */
export const CONFIG_MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/** The config source of pods read from the pod manifest directory. */
export const FILE_SOURCE = 'file';

/** Whether `pod` is a mirror pod (an API object standing for a static pod). */
export function isMirrorPod(pod: Pod): boolean {
  return pod.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION] !== undefined;
}

/** `namespace/name` of a pod: static pods and their mirrors share it. */
export function podFullName(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

/** Whether `mirror` is the current mirror of `staticPod`: same full name and its config hash. */
export function isMirrorPodOf(mirror: Pod, staticPod: Pod): boolean {
  return podFullName(mirror) === podFullName(staticPod)
    && mirror.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION] === staticPod.metadata?.annotations?.[CONFIG_HASH_ANNOTATION];
}
