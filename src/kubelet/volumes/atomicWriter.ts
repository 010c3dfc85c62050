/**
 * Upstream's atomic writer (pkg/volume/util/atomic_writer.go) in our words: the files
 * of a configMap/secret/downwardAPI/projected volume live in a timestamped directory
 * (`..2026_01_31_12_00_00.123456789`); a `..data` symlink names the current one, and
 * each top-level entry of the payload is a symlink `name → ..data/name`. An update
 * writes a complete new timestamped directory, points `..data_tmp` at it and renames
 * that over `..data` (one atomic rename), then adds/removes the per-entry symlinks
 * and deletes the old directory. A reader that resolves `..data` once sees one whole
 * version, never a mix.
 */
import { createHash, randomInt } from 'node:crypto';
import { chmod, lstat, mkdir, readFile, readdir, readlink, rename, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { Clock } from '../../client/clock.js';

/** One file of a payload: its bytes and permission bits. */
export interface FileProjection {
  data: Buffer;
  mode: number;
}

/** Relative path (may contain `/`) → file. */
export type Payload = Map<string, FileProjection>;

/** The name of the symlink to the current data directory. */
export const DATA_DIR_NAME = '..data';
const DATA_DIR_TMP_NAME = '..data_tmp';
const MAX_PATH_LENGTH = 4096;
const MAX_FILE_NAME_LENGTH = 255;

/** A payload path the writer refuses, with upstream's message. */
export class InvalidPayloadPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPayloadPathError';
  }
}

/**
 * Throws InvalidPayloadPathError unless `path` is relative, not too long, has no
 * `..` element and does not start with `..` (names the writer keeps for itself).
 */
export function validatePayloadPath(path: string): void {
  if (path === '') throw new InvalidPayloadPathError('invalid path: must not be empty: ');
  if (path.length > MAX_PATH_LENGTH) throw new InvalidPayloadPathError(`invalid path: must be less than or equal to ${MAX_PATH_LENGTH} characters`);
  if (isAbsolute(path)) throw new InvalidPayloadPathError(`invalid path: must be relative path: ${path}`);
  const segments = path.split('/');
  if (segments.some((segment) => segment.length > MAX_FILE_NAME_LENGTH)) {
    throw new InvalidPayloadPathError(`invalid path: filenames must be less than or equal to ${MAX_FILE_NAME_LENGTH} characters`);
  }
  if (segments.includes('..')) throw new InvalidPayloadPathError(`invalid path: must not contain '..': ${path}`);
  if (path.startsWith('..')) throw new InvalidPayloadPathError(`invalid path: must not start with '..': ${path}`);
}

function normalized(path: string): string {
  return path.split('/').filter((segment) => segment !== '' && segment !== '.').join('/');
}

function timestampedName(clock: Clock): string {
  const at = new Date(clock.now());
  const two = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${at.getUTCFullYear()}_${two(at.getUTCMonth() + 1)}_${two(at.getUTCDate())}_${two(at.getUTCHours())}_${two(at.getUTCMinutes())}_${two(at.getUTCSeconds())}`;
  return `..${stamp}.${randomInt(1_000_000_000)}`;
}

async function currentDataDir(targetDir: string): Promise<string | undefined> {
  try {
    return await readlink(join(targetDir, DATA_DIR_NAME));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function filesUnder(root: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await filesUnder(root, relative)));
    else found.push(relative);
  }
  return found;
}

async function matchesPayload(dataDir: string, payload: Payload): Promise<boolean> {
  const existing = await filesUnder(dataDir);
  if (existing.length !== payload.size) return false;
  for (const path of existing) {
    const wanted = payload.get(path);
    if (wanted === undefined) return false;
    const info = await stat(join(dataDir, path));
    if ((info.mode & 0o7777) !== wanted.mode) return false;
    if (!(await readFile(join(dataDir, path))).equals(wanted.data)) return false;
  }
  return true;
}

/**
 * Digests of the payloads this process wrote (or found equal), by data directory: a
 * repeat write of the same payload is then recognised without reading the files back.
 */
const writtenDigests = new Map<string, string>();

function payloadDigest(payload: Payload): string {
  const hash = createHash('sha256');
  for (const path of [...payload.keys()].sort()) {
    const file = payload.get(path) as { data: Buffer; mode: number };
    hash.update(`${path}\0${file.mode}\0${file.data.length}\0`).update(file.data);
  }
  return hash.digest('hex');
}

/** Forgets what was written below `root` (its volumes were torn down). */
export function forgetWrittenPayloads(root: string): void {
  for (const dir of writtenDigests.keys()) if (dir.startsWith(root)) writtenDigests.delete(dir);
}

function topLevelNames(paths: Iterable<string>): Set<string> {
  return new Set([...paths].map((path) => path.split('/')[0] as string));
}

/**
 * Makes `targetDir` (created if missing) hold exactly `payload`, atomically as the
 * module comment describes. Returns false (and touches nothing) when the current
 * data already equals the payload, contents and modes alike. `afterWrite` runs on
 * the new data directory before it becomes visible (upstream's setPerms hook, used
 * for fsGroup ownership). Invalid paths throw InvalidPayloadPathError before any
 * change.
 */
export async function writeAtomically(
  targetDir: string,
  rawPayload: Payload,
  clock: Clock,
  afterWrite?: (dataDir: string) => Promise<void>,
): Promise<boolean> {
  const payload: Payload = new Map();
  for (const [path, file] of rawPayload) {
    validatePayloadPath(path);
    payload.set(normalized(path), file);
  }
  await mkdir(targetDir, { recursive: true });
  const oldName = await currentDataDir(targetDir);
  const digest = payloadDigest(payload);
  if (oldName !== undefined) {
    const oldDir = join(targetDir, oldName);
    if (writtenDigests.get(oldDir) === digest) return false;
    if (await matchesPayload(oldDir, payload)) {
      writtenDigests.set(oldDir, digest);
      return false;
    }
    writtenDigests.delete(oldDir);
  }
  const oldPaths = oldName === undefined ? [] : await filesUnder(join(targetDir, oldName));

  const newName = timestampedName(clock);
  const newDir = join(targetDir, newName);
  await mkdir(newDir, { mode: 0o755 });
  for (const [path, file] of payload) {
    const full = join(newDir, path);
    await mkdir(dirname(full), { recursive: true, mode: 0o755 });
    await writeFile(full, file.data);
    await chmod(full, file.mode);
  }
  if (afterWrite !== undefined) await afterWrite(newDir);

  const tmpLink = join(targetDir, DATA_DIR_TMP_NAME);
  await rm(tmpLink, { force: true });
  await symlink(newName, tmpLink);
  await rename(tmpLink, join(targetDir, DATA_DIR_NAME));

  const newTop = topLevelNames(payload.keys());
  for (const name of newTop) {
    const link = join(targetDir, name);
    const existing = await lstat(link).catch(() => undefined);
    if (existing?.isSymbolicLink()) continue;
    await symlink(join(DATA_DIR_NAME, name), link);
  }
  for (const name of topLevelNames(oldPaths)) {
    if (!newTop.has(name)) await unlink(join(targetDir, name)).catch(() => undefined);
  }
  if (oldName !== undefined) await rm(join(targetDir, oldName), { recursive: true, force: true });
  writtenDigests.set(newDir, digest);
  return true;
}
