import assert from 'node:assert/strict';
import { createInflate } from 'node:zlib';
import { test } from 'node:test';
import { SPDY_DICTIONARY } from './spdyDictionary.js';
import { FLAG_FIN, FrameParser, HeaderCompressor, SYN_STREAM, dataFrame, headerBlock, pingFrame, synStreamFrame } from './spdyFrames.js';

/** Inflates one continuous zlib stream (with the SPDY dictionary) fed block by block, as a SPDY peer does. */
async function inflateBlocks(blocks: Buffer[]): Promise<Buffer[]> {
  const inflate = createInflate({ dictionary: SPDY_DICTIONARY });
  const out: Buffer[] = [];
  for (const block of blocks) {
    const parts: Buffer[] = [];
    const collect = (chunk: Buffer): number => parts.push(chunk);
    inflate.on('data', collect);
    inflate.write(block);
    await new Promise<void>((done) => inflate.flush(() => done()));
    await new Promise((done) => setImmediate(done));
    inflate.off('data', collect);
    out.push(Buffer.concat(parts));
  }
  inflate.close();
  return out;
}

test('header blocks of one context inflate, each on its own, against the SPDY dictionary', async () => {
  assert.equal(SPDY_DICTIONARY.length, 1423);
  const compressor = new HeaderCompressor();
  const first = headerBlock({ streamtype: 'error' });
  const second = headerBlock({ StreamType: 'stdout', port: '8080' });
  const inflated = await inflateBlocks([compressor.compress(first), compressor.compress(second)]);
  assert.deepEqual(inflated, [first, headerBlock({ streamtype: 'stdout', port: '8080' })]);
  assert.equal(second.readUInt32BE(0), 2);
});

test('frames split back out of a byte stream however it is chunked', () => {
  const syn = synStreamFrame(3, Buffer.from('hdr'));
  const data = dataFrame(3, Buffer.from('payload'), FLAG_FIN);
  const ping = pingFrame(2);
  const bytes = Buffer.concat([syn, data, ping]);
  const parser = new FrameParser();
  const frames = [...parser.push(bytes.subarray(0, 5)), ...parser.push(bytes.subarray(5, 20)), ...parser.push(bytes.subarray(20))];
  assert.equal(frames.length, 3);
  assert.deepEqual(frames[0], { kind: 'control', type: SYN_STREAM, flags: 0, payload: syn.subarray(8) });
  assert.equal(syn.readUInt16BE(0), 0x8003);
  assert.equal(syn.subarray(8).readUInt32BE(0), 3);
  assert.deepEqual(frames[1], { kind: 'data', streamId: 3, flags: FLAG_FIN, payload: Buffer.from('payload') });
  assert.deepEqual(frames[2], { kind: 'control', type: 6, flags: 0, payload: Buffer.from([0, 0, 0, 2]) });
});
