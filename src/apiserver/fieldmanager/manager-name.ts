/**
 * The manager name of a write: the fieldManager parameter, else the User-Agent up to
 * its first `/` with unprintable characters dropped and cut at 128 bytes (so
 * `kubectl-client-side-apply/v1.32.0 (linux/amd64) kubernetes/abc` gives
 * `kubectl-client-side-apply`).
 */

/** Upstream's limit on fieldManager length. */
export const FIELD_MANAGER_MAX_LENGTH = 128;

/** `fieldManager` when set, else the prefix of `userAgent`. */
export function managerOrUserAgent(fieldManager: string | undefined, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  const prefix = (userAgent ?? '').split('/')[0] ?? '';
  let out = '';
  let bytes = 0;
  for (const ch of prefix) {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) continue;
    const size = Buffer.byteLength(ch);
    if (bytes + size > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
    bytes += size;
  }
  return out;
}
