/**
 * The kubelet's per-pod directory (upstream /var/lib/kubelet/pods/<uid>): the pod's
 * volumes, its managed /etc/hosts and its containers' termination message files.
 * It lives as long as the pod's sandboxes do.
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { VolumeManager } from './volumes/index.js';

/** The directory of pod `uid` (the parent of its volumes dir); throws for an unsafe uid. */
export function podDirectory(volumes: VolumeManager, uid: string): string {
  return dirname(volumes.podVolumesDir(uid));
}

/** Tears down pod `uid`'s volumes, then removes its directory; safe to repeat. */
export async function removePodFiles(volumes: VolumeManager, uid: string): Promise<void> {
  await volumes.tearDown(uid);
  await rm(podDirectory(volumes, uid), { recursive: true, force: true });
}

/** Removes the directories of pods in neither `knownUids` (API or runtime); returns their uids. */
export async function removeOrphanedPodFiles(volumes: VolumeManager, knownUids: Iterable<string>): Promise<string[]> {
  const orphans = await volumes.cleanupOrphans(knownUids);
  for (const uid of orphans) await rm(podDirectory(volumes, uid), { recursive: true, force: true });
  return orphans;
}
