/**
 * The schema-driven walker: decodes the bytes of one message into the JSON object
 * upstream's JSON encoding of the decoded Go struct would carry. Go pointer fields
 * keep whatever value was sent (zero included); non-pointer `omitempty` scalars at
 * their zero value are left out, as are zero Times; inline fields merge into their
 * parent; unknown field numbers are skipped; fields absent from the wire stay absent.
 */
import { fieldsOf } from './catalog.js';
import { ProtobufDecodeError } from './decodeError.js';
import type { FieldFact, ValueKind } from './schema.js';
import { decodeWellKnown } from './wellKnown.js';
import { createReader, expectWireType, forEachField, readInt64, readUint64, WireType, type Reader } from './wire.js';

/** Deeper nesting than any served type has means a hostile body. */
const MAX_DEPTH = 64;

/** What one value holds: the kind, plus the message name for messages. */
type ValueSpec = Pick<FieldFact, 'kind' | 'message'>;

const WIRE_TYPE_OF: Readonly<Record<ValueKind, number>> = {
  string: WireType.lengthDelimited,
  bytes: WireType.lengthDelimited,
  bool: WireType.varint,
  int32: WireType.varint,
  int64: WireType.varint,
  uint32: WireType.varint,
  uint64: WireType.varint,
  double: WireType.fixed64,
  float: WireType.fixed32,
  message: WireType.lengthDelimited,
  time: WireType.lengthDelimited,
  microTime: WireType.lengthDelimited,
  duration: WireType.lengthDelimited,
  fieldsV1: WireType.lengthDelimited,
  quantity: WireType.lengthDelimited,
  intOrString: WireType.lengthDelimited,
  rawExtension: WireType.lengthDelimited,
};

/** Kinds that are Go scalars, which `omitempty` drops at their zero value (structs it never drops). */
const SCALAR_KINDS: ReadonlySet<ValueKind> = new Set(['string', 'bytes', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'double', 'float']);

/** Reads one value of `spec` whose wire type was already checked. */
function readValue(reader: Reader, spec: ValueSpec, what: string, depth: number): unknown {
  switch (spec.kind) {
    case 'string':
      return reader.string();
    case 'bytes':
      return Buffer.from(reader.bytes()).toString('base64');
    case 'bool':
      return reader.bool();
    case 'int32':
      return reader.int32();
    case 'uint32':
      return reader.uint32();
    case 'int64':
      return Number(readInt64(reader));
    case 'uint64':
      return Number(readUint64(reader));
    case 'double':
      return reader.double();
    case 'float':
      return reader.float();
    case 'message':
      return decodeInto({}, reader.bytes(), spec.message ?? '', depth + 1);
    default:
      return decodeWellKnown(spec.kind, reader.bytes(), what);
  }
}

/** The Go zero value of a map value that arrived without one. */
function zeroValue(field: FieldFact): unknown {
  if (field.list === 'wrapped') return [];
  switch (field.kind) {
    case 'string':
    case 'bytes':
      return '';
    case 'bool':
      return false;
    case 'message':
      return {};
    case 'quantity':
      return '0';
    case 'intOrString':
      return 0;
    case 'duration':
      return '0s';
    case 'time':
    case 'microTime':
    case 'rawExtension':
    case 'fieldsV1':
      return null;
    default:
      return 0;
  }
}

/** Reads a value of `field`'s element type, unwrapping a wrapped list. */
function readElement(reader: Reader, wireType: number, field: FieldFact, what: string, depth: number): unknown {
  if (field.list === 'wrapped') {
    expectWireType(wireType, WireType.lengthDelimited, what);
    const items: unknown[] = [];
    forEachField(reader.bytes(), (number, itemWireType, itemReader) => {
      if (number !== 1) return false;
      expectWireType(itemWireType, WIRE_TYPE_OF[field.kind], `${what} item`);
      items.push(readValue(itemReader, field, what, depth));
      return true;
    });
    return items;
  }
  expectWireType(wireType, WIRE_TYPE_OF[field.kind], what);
  return readValue(reader, field, what, depth);
}

function readMapEntry(reader: Reader, wireType: number, field: FieldFact, target: Record<string, unknown>, what: string, depth: number): void {
  expectWireType(wireType, WireType.lengthDelimited, what);
  const entry: { key: string; value: unknown } = { key: '', value: zeroValue(field) };
  forEachField(reader.bytes(), (number, entryWireType, entryReader) => {
    if (number === 1) {
      expectWireType(entryWireType, WireType.lengthDelimited, `${what} key`);
      entry.key = entryReader.string();
    } else if (number === 2) {
      entry.value = readElement(entryReader, entryWireType, field, `${what}[value]`, depth) ?? null;
    } else {
      return false;
    }
    return true;
  });
  const map = (target[field.json] ??= {}) as Record<string, unknown>;
  Object.defineProperty(map, entry.key, { value: entry.value, enumerable: true, writable: true, configurable: true });
}

function isPackable(kind: ValueKind): boolean {
  return WIRE_TYPE_OF[kind] !== WireType.lengthDelimited;
}

function readListItem(reader: Reader, wireType: number, field: FieldFact, target: Record<string, unknown>, what: string, depth: number): void {
  const list = (target[field.json] ??= []) as unknown[];
  if (wireType === WireType.lengthDelimited && isPackable(field.kind)) {
    // A packed run: the scalars back to back in one length-delimited field.
    const packed = createReader(reader.bytes());
    while (packed.pos < packed.len) list.push(readValue(packed, field, what, depth));
    return;
  }
  list.push(readElement(reader, wireType, field, what, depth) ?? null);
}

/** Sets a single (non-repeated) field, applying Go's pointer and omitempty rules. */
function assignSingle(target: Record<string, unknown>, field: FieldFact, value: unknown): void {
  const zeroScalar = SCALAR_KINDS.has(field.kind) && (value === '' || value === 0 || value === false);
  if (value === undefined || (zeroScalar && field.omitempty && !field.pointer)) {
    delete target[field.json];
    return;
  }
  target[field.json] = value;
}

function readField(reader: Reader, wireType: number, field: FieldFact, target: Record<string, unknown>, where: string, depth: number): void {
  const what = `${where}.${field.json || field.message || field.number}`;
  if (field.map) return readMapEntry(reader, wireType, field, target, what, depth);
  if (field.list === 'plain') return readListItem(reader, wireType, field, target, what, depth);
  if (field.kind === 'message') {
    expectWireType(wireType, WireType.lengthDelimited, what);
    const bytes = reader.bytes();
    // Inline fields merge into the parent; a message field sent twice merges into the first (protobuf semantics).
    const existing = target[field.json];
    const into = field.inline ? target : typeof existing === 'object' && existing !== null ? (existing as Record<string, unknown>) : {};
    decodeInto(into, bytes, field.message ?? '', depth + 1);
    if (!field.inline) target[field.json] = into;
    return;
  }
  assignSingle(target, field, readElement(reader, wireType, field, what, depth));
}

function decodeInto(target: Record<string, unknown>, bytes: Uint8Array, message: string, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new ProtobufDecodeError(`message nesting deeper than ${MAX_DEPTH}`);
  const fields = fieldsOf(message);
  forEachField(bytes, (number, wireType, reader) => {
    const field = fields.get(number);
    if (field === undefined) return false;
    readField(reader, wireType, field, target, message, depth);
    return true;
  });
  return target;
}

/** Decodes the bytes of `message` (a name of the fact table) into its JSON object. */
export function decodeMessage(bytes: Uint8Array, message: string): Record<string, unknown> {
  return decodeInto({}, bytes, message, 0);
}
