/**
 * Watch streams: the API sends one JSON `{"type": …, "object": …}` event per line
 * (`metav1.WatchEvent`). This module decodes such a byte stream into typed events.
 */
import type { KubeObject } from '../api/object.js';
import { isPlainObject } from '../api/object.js';
import type { Status } from '../api/status.js';
import { TransportError } from './transport.js';

/** Event types of a watch stream. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/**
 * One watch event. BOOKMARK objects carry only kind, apiVersion and
 * `metadata.resourceVersion`; ERROR carries a `Status` (410 Expired when the
 * requested resourceVersion is too old).
 */
export type WatchEvent<T extends KubeObject = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };

const EVENT_TYPES: ReadonlySet<string> = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);
const NEWLINE = 0x0a;

/**
 * Decodes newline-delimited watch events from `body`. The stream ends quietly when
 * the body ends or `signal` aborts (a half-received last line is dropped then); a
 * malformed line throws a `TransportError` of kind `Decode`; a broken connection
 * rethrows the body's error.
 */
export async function* decodeWatchEvents<T extends KubeObject = KubeObject>(
  body: AsyncIterable<Buffer>,
  signal?: AbortSignal,
): AsyncGenerator<WatchEvent<T>> {
  let pending: Buffer[] = [];
  try {
    for await (const chunk of body) {
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE, start); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
        pending.push(chunk.subarray(start, nl));
        const line = Buffer.concat(pending);
        pending = [];
        start = nl + 1;
        const event = parseLine<T>(line);
        if (event !== undefined) yield event;
        if (signal?.aborted) return;
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    }
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  }
  if (signal?.aborted) return;
  const rest = parseLine<T>(Buffer.concat(pending));
  if (rest !== undefined) yield rest;
}

function parseLine<T extends KubeObject>(line: Buffer): WatchEvent<T> | undefined {
  const text = line.toString('utf8').trim();
  if (text === '') return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch (err) {
    throw new TransportError('Decode', `watch: malformed event: ${(err as Error).message}`, { cause: err });
  }
  if (!isPlainObject(decoded) || typeof decoded['type'] !== 'string' || !EVENT_TYPES.has(decoded['type'])) {
    throw new TransportError('Decode', `watch: not a watch event: ${text.slice(0, 200)}`);
  }
  if (!isPlainObject(decoded['object'])) {
    throw new TransportError('Decode', `watch: ${decoded['type']} event without an object`);
  }
  return decoded as unknown as WatchEvent<T>;
}
