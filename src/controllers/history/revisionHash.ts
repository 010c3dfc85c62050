/**
 * How ControllerRevisions are named (upstream `HashControllerRevision` and
 * `ControllerRevisionName`): a 32-bit FNV-1 hash of the revision data, followed by the
 * decimal collision count when there is one, printed in decimal and spelled with the
 * consonants-and-digits alphabet upstream uses for generated names; the revision is
 * called `<owner>-<hash>`.
 */
import { fnv1, safeEncode } from '../../api/safeNames.js';

/** Upstream keeps the owner part of a revision name to this many characters. */
const MAX_PREFIX_LENGTH = 223;

/** The hash naming a revision whose data is `data`, probed with `collisionCount` when set. */
export function revisionHash(data: string, collisionCount?: number): string {
  const encoder = new TextEncoder();
  let hash = fnv1(encoder.encode(data));
  if (collisionCount !== undefined) hash = fnv1(encoder.encode(String(collisionCount)), hash);
  return safeEncode(String(hash));
}

/** The name of the revision of `owner` with hash `hash`. */
export function revisionName(owner: string, hash: string): string {
  return `${owner.slice(0, MAX_PREFIX_LENGTH)}-${hash}`;
}
