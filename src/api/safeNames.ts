/**
 * The pieces upstream builds generated names from: the alphabet of consonants and
 * unambiguous digits (no vowels, so no words; no 0/1/3 look-alikes), the encoding of a
 * string onto it (`rand.SafeEncodeString`), and the 32-bit FNV-1 and FNV-1a hashes that
 * ControllerRevision names and pod-template-hash labels come from.
 */

/** Upstream's alphabet for generated name parts. */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Each character of `text` mapped onto the safe alphabet by its code (upstream `SafeEncodeString`). */
export function safeEncode(text: string): string {
  let out = '';
  for (const char of text) out += SAFE_ALPHABET[char.charCodeAt(0) % SAFE_ALPHABET.length];
  return out;
}

/** The 32-bit FNV-1 hash (multiply, then xor) of `bytes`, continuing from `seed`. */
export function fnv1(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let hash = seed;
  for (const byte of bytes) hash = (Math.imul(hash, FNV_PRIME) ^ byte) >>> 0;
  return hash;
}

/** The 32-bit FNV-1a hash (xor, then multiply) of `bytes`, continuing from `seed`. */
export function fnv1a(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let hash = seed;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
  return hash;
}
