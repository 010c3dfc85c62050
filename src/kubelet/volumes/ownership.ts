/**
 * fsGroup ownership as upstream's SetVolumeOwnership applies it: every file and
 * directory of the volume gets group `fsGroup`; files gain group read (and write
 * unless the volume is read-only: 0440 vs 0660), directories also gain setgid and
 * search (0110). Symlinks get only the group.
 */
import { chmod, chown, lchown, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const READ_WRITE = 0o660;
const READ_ONLY = 0o440;
const SEARCH = 0o110;
const SETGID = 0o2000;

/** Applies `fsGroup` to `root` and everything below it (not following symlinks). */
export async function applyFsGroup(root: string, fsGroup: number, readOnly: boolean): Promise<void> {
  const info = await lstat(root);
  if (info.isSymbolicLink()) {
    await lchown(root, info.uid, fsGroup);
    return;
  }
  const mask = readOnly ? READ_ONLY : READ_WRITE;
  await chown(root, info.uid, fsGroup);
  if (info.isDirectory()) {
    await chmod(root, (info.mode & 0o7777) | mask | SEARCH | SETGID);
    for (const name of await readdir(root)) await applyFsGroup(join(root, name), fsGroup, readOnly);
  } else {
    await chmod(root, (info.mode & 0o7777) | mask);
  }
}
