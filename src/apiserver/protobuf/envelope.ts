/**
 * The envelope of a Kubernetes protobuf body: the magic prefix `k8s\0`, then a
 * runtime.Unknown message { typeMeta = 1 { apiVersion = 1, kind = 2 }, raw = 2,
 * contentEncoding = 3, contentType = 4 } whose `raw` is the typed message.
 */
import { ProtobufDecodeError } from './decodeError.js';
import { expectWireType, forEachField, WireType } from './wire.js';

/** The four bytes every Kubernetes protobuf body starts with. */
export const PROTOBUF_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

/** The runtime.Unknown of a body. */
export interface ProtobufEnvelope {
  apiVersion: string;
  kind: string;
  /** The bytes of the typed message. */
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

function readTypeMeta(bytes: Uint8Array, envelope: ProtobufEnvelope): void {
  forEachField(bytes, (number, wireType, reader) => {
    if (number !== 1 && number !== 2) return false;
    expectWireType(wireType, WireType.lengthDelimited, number === 1 ? 'typeMeta.apiVersion' : 'typeMeta.kind');
    if (number === 1) envelope.apiVersion = reader.string();
    else envelope.kind = reader.string();
    return true;
  });
}

/** Reads the envelope of `body`; throws a ProtobufDecodeError when it is not one. */
export function readEnvelope(body: Uint8Array): ProtobufEnvelope {
  if (body.length < PROTOBUF_MAGIC.length || PROTOBUF_MAGIC.some((byte, i) => body[i] !== byte)) {
    throw new ProtobufDecodeError('the body does not start with the Kubernetes protobuf prefix "k8s\\x00"');
  }
  const envelope: ProtobufEnvelope = { apiVersion: '', kind: '', raw: new Uint8Array(), contentEncoding: '', contentType: '' };
  forEachField(body.subarray(PROTOBUF_MAGIC.length), (number, wireType, reader) => {
    if (number < 1 || number > 4) return false;
    expectWireType(wireType, WireType.lengthDelimited, `runtime.Unknown field ${number}`);
    if (number === 1) readTypeMeta(reader.bytes(), envelope);
    else if (number === 2) envelope.raw = reader.bytes();
    else if (number === 3) envelope.contentEncoding = reader.string();
    else envelope.contentType = reader.string();
    return true;
  });
  if (envelope.contentEncoding !== '') throw new ProtobufDecodeError(`unsupported content encoding ${JSON.stringify(envelope.contentEncoding)}`);
  return envelope;
}
