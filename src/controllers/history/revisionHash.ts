/**
 * How ControllerRevisions are named (upstream `HashControllerRevision` and
 * `ControllerRevisionName`): a 32-bit FNV-1 hash of the revision data, followed by the
 * decimal collision count when there is one, printed in decimal and spelled with the
 * consonants-and-digits alphabet upstream uses for generated names; the revision is
 * called `<owner>-<hash>`.
 */

/** Upstream's alphabet for safe generated strings (no vowels, no confusable digits). */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Upstream keeps the owner part of a revision name to this many characters. */
const MAX_PREFIX_LENGTH = 223;

/** The 32-bit FNV-1 hash (multiply, then xor) of `bytes`, continuing from `seed`. */
export function fnv1(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let hash = seed;
  for (const byte of bytes) hash = (Math.imul(hash, FNV_PRIME) ^ byte) >>> 0;
  return hash;
}

/** Each character of `text` mapped onto the safe alphabet (upstream `SafeEncodeString`). */
export function safeEncode(text: string): string {
  let out = '';
  for (const char of text) out += SAFE_ALPHABET[char.charCodeAt(0) % SAFE_ALPHABET.length];
  return out;
}

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
