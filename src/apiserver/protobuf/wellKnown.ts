/**
 * The Go types whose protobuf message differs from their JSON form, decoded straight
 * to that JSON form: metav1.Time and MicroTime (RFC 3339 text), metav1.Duration (Go
 * duration text), resource.Quantity (its string), intstr.IntOrString (a number or a
 * string), runtime.RawExtension and metav1.FieldsV1 (the JSON document they carry).
 */
import { QUANTITY_PATTERN, tryParseQuantity } from '../../api/quantity.js';
import { ProtobufDecodeError } from './decodeError.js';
import { formatGoDuration } from './goDuration.js';
import type { WellKnownKind } from './schema.js';
import { expectWireType, forEachField, readInt64, WireType } from './wire.js';

/** Seconds of Go's zero time (January 1, year 1, UTC) since the Unix epoch. */
const GO_ZERO_TIME_SECONDS = -62135596800n;

interface Timestamp {
  seconds: bigint;
  nanos: number;
}

function readTimestamp(bytes: Uint8Array, what: string): Timestamp | undefined {
  if (bytes.length === 0) return undefined;
  const stamp: Timestamp = { seconds: 0n, nanos: 0 };
  forEachField(bytes, (number, wireType, reader) => {
    if (number !== 1 && number !== 2) return false;
    expectWireType(wireType, WireType.varint, `${what} field ${number}`);
    if (number === 1) stamp.seconds = readInt64(reader);
    else stamp.nanos = reader.int32();
    return true;
  });
  return stamp.seconds === GO_ZERO_TIME_SECONDS && stamp.nanos === 0 ? undefined : stamp;
}

/** RFC 3339 in UTC with `fractionDigits` digits of the second (0: none). */
function formatTimestamp({ seconds, nanos }: Timestamp, fractionDigits: 0 | 6, what: string): string {
  const totalNanos = seconds * 1_000_000_000n + BigInt(nanos);
  const wholeSeconds = totalNanos / 1_000_000_000n - (totalNanos % 1_000_000_000n < 0n ? 1n : 0n);
  const fraction = totalNanos - wholeSeconds * 1_000_000_000n;
  const date = new Date(Number(wholeSeconds) * 1000);
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) throw new ProtobufDecodeError(`${what}: time out of range (${seconds} s)`);
  const text = date.toISOString().slice(0, 19);
  if (fractionDigits === 0) return `${text}Z`;
  return `${text}.${String(fraction / 1_000n).padStart(6, '0')}Z`;
}

function readDuration(bytes: Uint8Array, what: string): string {
  const found = { nanoseconds: 0n };
  forEachField(bytes, (number, wireType, reader) => {
    if (number !== 1) return false;
    expectWireType(wireType, WireType.varint, `${what} duration`);
    found.nanoseconds = readInt64(reader);
    return true;
  });
  return formatGoDuration(found.nanoseconds);
}

function readQuantity(bytes: Uint8Array, what: string): string {
  const found: { text?: string } = {};
  forEachField(bytes, (number, wireType, reader) => {
    if (number !== 1) return false;
    expectWireType(wireType, WireType.lengthDelimited, `${what} string`);
    found.text = reader.string();
    return true;
  });
  if (found.text === undefined) return '0';
  if (tryParseQuantity(found.text) === undefined) {
    throw new ProtobufDecodeError(`${what}: quantities must match the regular expression '${QUANTITY_PATTERN}' (got ${JSON.stringify(found.text)})`);
  }
  return found.text;
}

function readIntOrString(bytes: Uint8Array, what: string): number | string {
  const value = { type: 0n, intVal: 0, strVal: '' };
  forEachField(bytes, (number, wireType, reader) => {
    if (number === 1) {
      expectWireType(wireType, WireType.varint, `${what} type`);
      value.type = readInt64(reader);
    } else if (number === 2) {
      expectWireType(wireType, WireType.varint, `${what} intVal`);
      value.intVal = reader.int32();
    } else if (number === 3) {
      expectWireType(wireType, WireType.lengthDelimited, `${what} strVal`);
      value.strVal = reader.string();
    } else {
      return false;
    }
    return true;
  });
  if (value.type === 0n) return value.intVal;
  if (value.type === 1n) return value.strVal;
  throw new ProtobufDecodeError(`${what}: impossible IntOrString type ${value.type}`);
}

/** The JSON document in field 1 (RawExtension.raw, FieldsV1.Raw); undefined when empty. */
function readEmbeddedJson(bytes: Uint8Array, what: string): unknown {
  const found: { raw?: Uint8Array } = {};
  forEachField(bytes, (number, wireType, reader) => {
    if (number !== 1) return false;
    expectWireType(wireType, WireType.lengthDelimited, `${what} raw`);
    found.raw = reader.bytes();
    return true;
  });
  if (found.raw === undefined || found.raw.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(found.raw).toString('utf8'));
  } catch (err) {
    throw new ProtobufDecodeError(`${what}: embedded document is not JSON: ${(err as Error).message}`);
  }
}

/**
 * The JSON value of a well-known type from its message bytes; undefined where the Go
 * value marshals to null (zero Time/MicroTime, empty RawExtension/FieldsV1), which
 * the caller leaves out. `what` names the field in error messages.
 */
export function decodeWellKnown(kind: WellKnownKind, bytes: Uint8Array, what: string): unknown {
  switch (kind) {
    case 'time': {
      const stamp = readTimestamp(bytes, what);
      // metav1.Time keeps whole seconds only.
      return stamp === undefined ? undefined : formatTimestamp({ seconds: stamp.seconds, nanos: 0 }, 0, what);
    }
    case 'microTime': {
      const stamp = readTimestamp(bytes, what);
      return stamp === undefined ? undefined : formatTimestamp(stamp, 6, what);
    }
    case 'duration':
      return readDuration(bytes, what);
    case 'quantity':
      return readQuantity(bytes, what);
    case 'intOrString':
      return readIntOrString(bytes, what);
    case 'rawExtension':
    case 'fieldsV1':
      return readEmbeddedJson(bytes, what);
  }
}
