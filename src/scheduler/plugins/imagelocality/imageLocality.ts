/**
 * ImageLocality (upstream plugin of the same name): prefers nodes that already hold
 * the pod's container images. Each image present counts its size scaled by the share
 * of nodes holding it (so images everywhere do not sway the choice); the sum is
 * clamped to [23 MiB, 1000 MiB × containers] and mapped linearly onto 0…100.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycleState.js';
import { MAX_NODE_SCORE, type FrameworkHandle, type NodeInfo, type ScorePlugin } from '../../framework/interface.js';

/** The plugin's upstream name. */
export const IMAGE_LOCALITY = 'ImageLocality';

const MIB = 1024 * 1024;
/** Below this sum a node scores 0. */
export const MIN_THRESHOLD = 23 * MIB;
/** Per container: at or above this many bytes a node scores 100. */
export const MAX_CONTAINER_THRESHOLD = 1000 * MIB;

const normalizedNames = new Map<string, string>();

/** The name a node reports for `image`: a tag-less reference gets `:latest` (upstream normalizedImageName). */
export function normalizedImageName(image: string): string {
  let name = normalizedNames.get(image);
  if (name === undefined) {
    name = image.lastIndexOf(':') <= image.lastIndexOf('/') ? `${image}:latest` : image;
    if (normalizedNames.size >= 4096) normalizedNames.clear();
    normalizedNames.set(image, name);
  }
  return name;
}

/** Maps the summed image score onto 0…MAX_NODE_SCORE for `containers` containers (upstream calculatePriority). */
export function imagePriority(sum: number, containers: number): number {
  const max = MAX_CONTAINER_THRESHOLD * containers;
  const clamped = Math.min(Math.max(sum, MIN_THRESHOLD), max);
  return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (max - MIN_THRESHOLD));
}

/** Builds the ImageLocality plugin over the handle's snapshot. */
export function newImageLocality(handle: FrameworkHandle): ScorePlugin {
  return {
    name: IMAGE_LOCALITY,
    score(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
      const snapshot = handle.snapshot();
      const totalNodes = snapshot.list().length;
      const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
      let sum = 0;
      for (const container of containers) {
        const name = normalizedImageName(container.image ?? '');
        const size = nodeInfo.imageSizes.get(name);
        if (size !== undefined) sum += Math.trunc(size * (snapshot.nodesWithImage(name) / totalNodes));
      }
      return imagePriority(sum, containers.length);
    },
  };
}
