/**
 * A volumeMount's subPath resolved as upstream's kubelet does before it starts the
 * container: never absolute, no `..` element, created (with the volume root's mode)
 * when missing, and after following symlinks still inside the volume. The answer is
 * the resolved real path, so a subPath of a configMap/secret names one timestamped
 * data file and, as upstream, does not see later updates.
 */
import { mkdir, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { VolumeMountConfigError } from './errors.js';

function within(base: string, candidate: string): boolean {
  const rel = relative(base, candidate);
  return !isAbsolute(rel) && rel.split(sep)[0] !== '..';
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** The host path to bind for `subPath` of the volume at `volumePath`; throws VolumeMountConfigError. */
export async function resolveSubPath(volumePath: string, subPath: string, mountName: string, containerName: string): Promise<string> {
  if (isAbsolute(subPath)) throw new VolumeMountConfigError(`error SubPath \`${subPath}\` must not be an absolute path`);
  if (subPath.split('/').includes('..')) throw new VolumeMountConfigError(`unable to provision SubPath \`${subPath}\`: must not contain '..'`);
  const volumeReal = await realpath(volumePath);
  const wanted = join(volumePath, subPath);
  if (!(await exists(wanted))) {
    let existing = wanted;
    while (!(await exists(existing))) existing = dirname(existing);
    const existingReal = await realpath(existing);
    if (!within(volumeReal, existingReal)) throw new VolumeMountConfigError(`subpath "${existingReal}" not within volume path "${volumeReal}"`);
    try {
      const mode = (await stat(volumePath)).mode & 0o7777;
      await mkdir(wanted, { recursive: true, mode });
    } catch {
      throw new VolumeMountConfigError(`failed to create subPath directory for volumeMount "${mountName}" of container "${containerName}"`);
    }
  }
  const real = await realpath(wanted);
  if (!within(volumeReal, real)) throw new VolumeMountConfigError(`subpath "${real}" not within volume path "${volumeReal}"`);
  return real;
}
