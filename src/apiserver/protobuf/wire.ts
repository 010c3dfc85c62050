/**
 * Wire-level helpers over protobufjs' Reader: iterating the fields of a message,
 * checking wire types, and reading 64-bit varints exactly.
 */
import protobuf from 'protobufjs/minimal.js';
import { ProtobufDecodeError } from './decodeError.js';

/** protobufjs' reader. */
export type Reader = protobuf.Reader;

/** Protobuf wire types. */
export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;

/**
 * Calls `onField` for each field of the message in `bytes`, in wire order. The callback
 * reads the value and returns true, or returns false to have the field skipped.
 * protobufjs' range errors on truncated input become ProtobufDecodeErrors.
 */
export function forEachField(bytes: Uint8Array, onField: (number: number, wireType: number, reader: Reader) => boolean): void {
  const reader = createReader(bytes);
  try {
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      const number = tag >>> 3;
      const wireType = tag & 7;
      if (number === 0) throw new ProtobufDecodeError(`illegal field number 0 at offset ${reader.pos}`);
      if (!onField(number, wireType, reader)) reader.skipType(wireType);
    }
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw err;
    throw new ProtobufDecodeError(`malformed protobuf data: ${(err as Error).message}`);
  }
}

/** A reader over `bytes`. */
export function createReader(bytes: Uint8Array): Reader {
  return protobuf.Reader.create(bytes);
}

/** Throws unless a field arrived with the wire type its type needs. */
export function expectWireType(actual: number, expected: number, what: string): void {
  if (actual !== expected) throw new ProtobufDecodeError(`${what}: wire type ${actual}, expected ${expected}`);
}

function bigIntOf(value: protobuf.Long | number, signed: boolean): bigint {
  if (typeof value === 'number') return BigInt(value);
  const bits = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return signed ? BigInt.asIntN(64, bits) : bits;
}

/** Reads a varint as a signed 64-bit integer (Go int64). */
export function readInt64(reader: Reader): bigint {
  return bigIntOf(reader.int64(), true);
}

/** Reads a varint as an unsigned 64-bit integer (Go uint64). */
export function readUint64(reader: Reader): bigint {
  return bigIntOf(reader.uint64(), false);
}
