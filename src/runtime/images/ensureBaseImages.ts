/**
 * Makes sure a containerd has k8ts's base images (busybox, pause), building and
 * importing only those whose content differs from what CRI already reports.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CriClient } from '../cri/client.js';
import type { BaseImage } from './baseImages.js';
import { busyboxImage, pauseImage } from './baseImages.js';
import { importImageArchive } from './importImage.js';

/** What happened to each base image. */
export type EnsureResult = Record<string, 'present' | 'imported'>;

/** Told each base image's name and manifest digest once it is present. */
export type OnBaseImage = (name: string, manifestDigest: string) => Promise<void> | void;

/**
 * Builds each base image into `workDir` and imports it through `socket` unless CRI
 * already has that name with the same image config digest. Resolves when CRI lists them.
 */
export async function ensureBaseImages(cri: CriClient, socket: string, workDir: string, images: readonly BaseImage[] = [pauseImage, busyboxImage], onImage?: OnBaseImage): Promise<EnsureResult> {
  await mkdir(workDir, { recursive: true, mode: 0o700 });
  const result: EnsureResult = {};
  for (const image of images) {
    const archivePath = join(workDir, `${image.name.replace(/[^A-Za-z0-9.-]+/g, '_')}.tar`);
    try {
      const archive = await image.build(archivePath);
      const current = await cri.imageStatus(image.name);
      if (current?.id === archive.configDigest) {
        result[image.name] = 'present';
      } else {
        await importImageArchive(socket, archive.path, image.name);
        await waitForImage(cri, image.name, archive.configDigest);
        result[image.name] = 'imported';
      }
      await onImage?.(image.name, archive.manifestDigest);
    } finally {
      await rm(archivePath, { force: true });
    }
  }
  return result;
}

/** CRI learns of imported images from containerd events; waits (bounded) until it reports this one. */
async function waitForImage(cri: CriClient, name: string, configDigest: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await cri.imageStatus(name))?.id === configDigest) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`containerd imported ${name} but CRI does not report it (id ${configDigest})`);
}
