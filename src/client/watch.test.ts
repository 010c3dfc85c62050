import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TransportError } from './transport.js';
import { decodeWatchEvents } from './watch.js';
import type { WatchEvent } from './watch.js';

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.isBuffer(part) ? part : Buffer.from(part);
}

async function collect(body: AsyncIterable<Buffer>, signal?: AbortSignal): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  for await (const e of decodeWatchEvents(body, signal)) out.push(e);
  return out;
}

const event = (type: string, name: string) => JSON.stringify({ type, object: { metadata: { name } } });

describe('decodeWatchEvents', () => {
  test('decodes events split anywhere across chunks, including inside a UTF-8 character', async () => {
    const text = [event('ADDED', 'a'), event('MODIFIED', 'ünïcode'), event('DELETED', 'c')].join('\n') + '\n';
    const bytes = Buffer.from(text);
    const wanted = await collect(chunks(bytes));
    for (let cut = 1; cut < bytes.length; cut += 7) {
      assert.deepEqual(await collect(chunks(bytes.subarray(0, cut), bytes.subarray(cut))), wanted);
    }
    assert.deepEqual(
      wanted.map((e) => `${e.type} ${e.object.metadata?.name}`),
      ['ADDED a', 'MODIFIED ünïcode', 'DELETED c'],
    );
  });

  test('accepts a last event without a newline, and blank lines', async () => {
    const got = await collect(chunks(`\n${event('ADDED', 'a')}\n\n${event('BOOKMARK', 'b')}`));
    assert.deepEqual(got.map((e) => e.type), ['ADDED', 'BOOKMARK']);
  });

  test('ERROR events carry the Status', async () => {
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version: 1 (5)' };
    const [got] = await collect(chunks(JSON.stringify({ type: 'ERROR', object: status }) + '\n'));
    assert.equal(got?.type, 'ERROR');
    assert.equal(got?.type === 'ERROR' ? got.object.code : 0, 410);
  });

  test('malformed lines are Decode errors', async () => {
    for (const bad of ['{not json}\n', '{"type":"SOMETHING","object":{}}\n', '{"type":"ADDED"}\n']) {
      await assert.rejects(collect(chunks(bad)), (err: unknown) => err instanceof TransportError && err.kind === 'Decode');
    }
  });

  test('stops quietly when the signal aborts, even if the body fails because of it', async () => {
    const stop = new AbortController();
    async function* body(): AsyncGenerator<Buffer> {
      yield Buffer.from(event('ADDED', 'a') + '\n');
      stop.abort();
      throw new Error('socket destroyed');
    }
    const got = await collect(body(), stop.signal);
    assert.equal(got.length, 1);
  });

  test('rethrows a body failure that was not an abort', async () => {
    async function* body(): AsyncGenerator<Buffer> {
      yield Buffer.from(event('ADDED', 'a') + '\n');
      throw new Error('connection reset');
    }
    await assert.rejects(collect(body()), /connection reset/);
  });
});
