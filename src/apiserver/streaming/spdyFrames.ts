/**
 * SPDY/3 framing (the protocol Kubernetes calls "SPDY/3.1"): encoding of the frames a
 * client sends and an incremental parser for the frames it receives. Header blocks go
 * out as zlib stored blocks of one continuous compression context that declares the
 * SPDY dictionary, which every SPDY/3 decoder accepts.
 */
import { SPDY_DICTIONARY } from './spdyDictionary.js';

const VERSION = 3;
/** Control frame types. */
export const SYN_STREAM = 1;
export const SYN_REPLY = 2;
export const RST_STREAM = 3;
export const PING = 6;
export const GOAWAY = 7;
/** FLAG_FIN: the sender will send nothing more on the stream. */
export const FLAG_FIN = 0x01;
/** The largest payload of one frame (24-bit length). */
export const MAX_FRAME_PAYLOAD = 0xffffff;

/** A frame received: control frames carry their type, data frames their stream. */
export type SpdyFrame =
  | { kind: 'control'; type: number; flags: number; payload: Buffer }
  | { kind: 'data'; streamId: number; flags: number; payload: Buffer };

function adler32(bytes: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Encodes name/value pairs as an uncompressed SPDY/3 header block (32-bit counts and lengths). */
export function headerBlock(headers: Record<string, string>): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}

/** The empty stored block a zlib sync flush ends with; decoders hand out what they have when they reach it. */
const SYNC_FLUSH_MARKER = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

/**
 * One direction's header compression context: the first block starts the zlib stream
 * (CMF/FLG with FDICT and the dictionary's Adler-32); every block is a non-final stored
 * deflate block followed by the sync flush marker.
 */
export class HeaderCompressor {
  private started = false;

  /** The compressed form of one header block, continuing this context. */
  compress(block: Buffer): Buffer {
    if (block.length > 0xffff) throw new Error('SPDY header block too large');
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      parts.push(Buffer.from([0x78, 0xbb]), u32(adler32(SPDY_DICTIONARY)));
    }
    const stored = Buffer.alloc(5);
    stored.writeUInt8(0, 0);
    stored.writeUInt16LE(block.length, 1);
    stored.writeUInt16LE(~block.length & 0xffff, 3);
    parts.push(stored, block, SYNC_FLUSH_MARKER);
    return Buffer.concat(parts);
  }
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(payload.length, 4);
  head.writeUInt8(flags, 4);
  return Buffer.concat([head, payload]);
}

/** A SYN_STREAM frame opening `streamId` with an already compressed header block. */
export function synStreamFrame(streamId: number, compressedHeaders: Buffer, flags = 0): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt32BE(streamId & 0x7fffffff, 0);
  fixed.writeUInt32BE(0, 4);
  return controlFrame(SYN_STREAM, flags, Buffer.concat([fixed, compressedHeaders]));
}

/** A PING frame carrying `id` (an answer echoes the received one). */
export function pingFrame(id: number): Buffer {
  return controlFrame(PING, 0, u32(id));
}

/** A DATA frame on `streamId`; FLAG_FIN in `flags` half-closes the stream. */
export function dataFrame(streamId: number, payload: Buffer, flags = 0): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new Error('SPDY data frame too large');
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE(payload.length, 4);
  head.writeUInt8(flags, 4);
  return Buffer.concat([head, payload]);
}

/** A GOAWAY frame (status OK) naming the last stream the sender accepted (none for a client). */
export function goAwayFrame(): Buffer {
  return controlFrame(GOAWAY, 0, Buffer.concat([u32(0), u32(0)]));
}

/** Splits a byte stream into frames; feed it chunks as they arrive. */
export class FrameParser {
  private pending: Buffer = Buffer.alloc(0);

  /** The complete frames `chunk` finishes (partial ones wait for the next chunk). */
  push(chunk: Buffer): SpdyFrame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: SpdyFrame[] = [];
    while (this.pending.length >= 8) {
      const length = this.pending.readUInt32BE(4) & 0xffffff;
      if (this.pending.length < 8 + length) break;
      const flags = this.pending.readUInt8(4);
      const payload = this.pending.subarray(8, 8 + length);
      const first = this.pending.readUInt32BE(0);
      if ((first & 0x80000000) !== 0) frames.push({ kind: 'control', type: first & 0xffff, flags, payload });
      else frames.push({ kind: 'data', streamId: first & 0x7fffffff, flags, payload });
      this.pending = this.pending.subarray(8 + length);
    }
    return frames;
  }
}
