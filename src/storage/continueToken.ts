/**
 * Continue tokens of paged lists: opaque to clients, base64 of JSON
 * `{ revision, startKey }` where `startKey` is the last returned key relative to the
 * listed prefix (so a token never reveals the storage layout and cannot escape its prefix).
 */
import { StorageError } from './store.js';

/** Where the next page of a list starts. */
export interface ContinuePosition {
  /** The revision every page of the list is read at. */
  revision: number;
  /** The last key already returned, relative to the prefix; the next page starts after it. */
  startKey: string;
}

/** Encodes a position as an opaque token. */
export function encodeContinue(position: ContinuePosition): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64');
}

/** Decodes a token; a malformed one fails with `InvalidObject` ("continue key is not valid"). */
export function decodeContinue(prefix: string, token: string): ContinuePosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === 'object' && parsed !== null) {
    const { revision, startKey } = parsed as Record<string, unknown>;
    if (typeof revision === 'number' && Number.isSafeInteger(revision) && revision > 0 && typeof startKey === 'string') {
      return { revision, startKey };
    }
  }
  throw new StorageError('InvalidObject', prefix, `continue key is not valid: ${token}`);
}
