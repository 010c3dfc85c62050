/**
 * Test support: builds protobuf wire bytes field by field with protobufjs' Writer, the
 * way go-to-protobuf's generated code lays them out, and wraps them in the
 * `k8s\0` + runtime.Unknown envelope kubectl sends.
 */
import protobuf from 'protobufjs/minimal.js';
import { PROTOBUF_MAGIC } from '../envelope.js';

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;

/** A fluent writer of one message's fields. */
export class MessageBuilder {
  private readonly writer = protobuf.Writer.create();

  /** A string (or any length-delimited text) field. */
  string(field: number, value: string): this {
    this.writer.uint32((field << 3) | LENGTH_DELIMITED).string(value);
    return this;
  }

  /** A bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.writer.uint32((field << 3) | LENGTH_DELIMITED).bytes(value);
    return this;
  }

  /** A varint field (int32, int64, bool as 0/1); negatives are sign-extended to 64 bits as Go does. */
  varint(field: number, value: number | bigint | boolean): this {
    const number = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    this.writer.uint32((field << 3) | VARINT).int64(typeof number === 'bigint' ? number.toString() : number);
    return this;
  }

  /** A double field. */
  double(field: number, value: number): this {
    this.writer.uint32((field << 3) | FIXED64).double(value);
    return this;
  }

  /** A nested message field; `build` writes its fields (none for an empty message). */
  message(field: number, build: (m: MessageBuilder) => MessageBuilder = (m) => m): this {
    return this.bytes(field, build(new MessageBuilder()).finish());
  }

  /** A map entry { key = 1, value = 2 } with a string value. */
  stringEntry(field: number, key: string, value: string): this {
    return this.message(field, (e) => e.string(1, key).string(2, value));
  }

  /** A packed run of varints in one length-delimited field. */
  packedVarints(field: number, values: readonly number[]): this {
    this.writer.uint32((field << 3) | LENGTH_DELIMITED).fork();
    for (const value of values) this.writer.int64(value);
    this.writer.ldelim();
    return this;
  }

  /** The bytes written so far. */
  finish(): Uint8Array {
    return this.writer.finish();
  }
}

/** A new builder. */
export function message(): MessageBuilder {
  return new MessageBuilder();
}

/** The body kubectl sends: magic prefix, then runtime.Unknown { typeMeta, raw, contentEncoding "", contentType "" }. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const unknown = message()
    .message(1, (t) => t.string(1, apiVersion).string(2, kind))
    .bytes(2, raw)
    .string(3, '')
    .string(4, '')
    .finish();
  return Buffer.concat([PROTOBUF_MAGIC, unknown]);
}

/** ObjectMeta as client-go writes it for a new object: every non-pointer field, zero creationTimestamp. */
export function newObjectMeta(m: MessageBuilder, name: string, namespace = ''): MessageBuilder {
  return m.string(1, name).string(2, '').string(3, namespace).string(4, '').string(5, '').string(6, '').varint(7, 0).message(8);
}
