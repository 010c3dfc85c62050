/**
 * The protobuf fact table, loaded once: which message a body of a given apiVersion and
 * kind carries, and each message's fields indexed by field number.
 */
import table from './messages.json' with { type: 'json' };
import type { FieldFact, ProtobufSchema } from './schema.js';

/** The committed table; its shape is checked by catalog.test.ts. */
export const PROTOBUF_SCHEMA = table as unknown as ProtobufSchema;

const fieldIndex = new Map<string, ReadonlyMap<number, FieldFact>>(
  Object.entries(PROTOBUF_SCHEMA.messages).map(([name, fields]) => [name, new Map(fields.map((f) => [f.number, f]))]),
);

/** The message name of a body of `apiVersion` and `kind`, if the table has one. */
export function messageForKind(apiVersion: string, kind: string): string | undefined {
  const byKind = Object.hasOwn(PROTOBUF_SCHEMA.kinds, apiVersion) ? PROTOBUF_SCHEMA.kinds[apiVersion] : undefined;
  return byKind !== undefined && Object.hasOwn(byKind, kind) ? byKind[kind] : undefined;
}

/** The fields of `message` by field number; throws for a name the table lacks (a table bug). */
export function fieldsOf(message: string): ReadonlyMap<number, FieldFact> {
  const fields = fieldIndex.get(message);
  if (fields === undefined) throw new Error(`protobuf schema has no message ${message}`);
  return fields;
}
