/**
 * hostPath type checks as upstream's hostpath plugin makes them at set-up:
 * DirectoryOrCreate and FileOrCreate create what is missing (0755 directories with
 * parents; an empty 0644 file, parents must exist), the other types only check, and
 * an empty type checks nothing. Failures carry upstream's text.
 */
import { chmod, mkdir, open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { VolumeSourceError } from './errors.js';

async function statOf(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function failed(path: string, what: string): VolumeSourceError {
  return new VolumeSourceError(`hostPath type check failed: ${path} is not ${what}`);
}

/** Checks (and for the *OrCreate types, creates) `path` as hostPath `type` demands. */
export async function checkHostPathType(path: string, type: string | undefined): Promise<void> {
  let info = await statOf(path);
  switch (type ?? '') {
    case '':
      return;
    case 'DirectoryOrCreate':
      if (info === undefined) {
        await mkdir(path, { recursive: true, mode: 0o755 });
        await chmod(path, 0o755);
        return;
      }
      if (!info.isDirectory()) throw failed(path, 'a directory');
      return;
    case 'Directory':
      if (info === undefined || !info.isDirectory()) throw failed(path, 'a directory');
      return;
    case 'FileOrCreate':
      if (info === undefined) {
        try {
          await (await open(path, 'a', 0o644)).close();
        } catch (err) {
          throw new VolumeSourceError(`hostPath type check failed: ${(err as Error).message}`);
        }
        info = await stat(path);
      }
      if (!info.isFile()) throw failed(path, 'a file');
      return;
    case 'File':
      if (info === undefined || !info.isFile()) throw failed(path, 'a file');
      return;
    case 'Socket':
      if (info === undefined || !info.isSocket()) throw failed(path, 'a socket file');
      return;
    case 'CharDevice':
      if (info === undefined || !info.isCharacterDevice()) throw failed(path, 'a character device');
      return;
    case 'BlockDevice':
      if (info === undefined || !info.isBlockDevice()) throw failed(path, 'a block device');
      return;
    default:
      throw new VolumeSourceError(`${type ?? ''} is an invalid volume type`);
  }
}
