/**
 * The shape of the protobuf fact table (`messages.json`), which
 * scripts/generate-protobuf-schema.ts extracts from upstream's Go API types: for every
 * message a served kind can reach, each field's number, JSON name and how its value is
 * carried on the wire and rendered in JSON.
 */

/** Plain protobuf scalars, named after their proto2 type. */
export type ScalarKind = 'string' | 'bytes' | 'bool' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'double' | 'float';

/**
 * Go types with their own protobuf message and their own JSON form:
 * metav1.Time / MicroTime / Duration / FieldsV1, resource.Quantity,
 * intstr.IntOrString and runtime.RawExtension.
 */
export type WellKnownKind = 'time' | 'microTime' | 'duration' | 'fieldsV1' | 'quantity' | 'intOrString' | 'rawExtension';

/** What one field (or one list element, or one map value) holds. */
export type ValueKind = ScalarKind | WellKnownKind | 'message';

/** One field of a message. */
export interface FieldFact {
  /** The protobuf field number. */
  number: number;
  /** The JSON property name; empty when `inline`. */
  json: string;
  kind: ValueKind;
  /** The referenced message name when `kind` is `message`. */
  message?: string;
  /**
   * A repeated field: `plain` is a JSON array of repeated values; `wrapped` is a Go
   * named slice that protobuf carries as a message whose field 1 repeats the items
   * (authentication's ExtraValue), still a plain array in JSON.
   */
  list?: 'plain' | 'wrapped';
  /** A map carried as repeated entries {key = 1 (string), value = 2}; the value is described by kind/message/list. */
  map?: true;
  /** The Go field is a pointer: written only when set, and then kept even at its zero value. */
  pointer?: true;
  /** The JSON tag has `omitempty`. */
  omitempty?: true;
  /** JSON embeds this message's fields into the parent while protobuf nests it. */
  inline?: true;
}

/** The whole table. */
export interface ProtobufSchema {
  /** Where the facts came from (upstream module versions). */
  source: string;
  /** apiVersion → kind → message name, for every kind a request body may carry. */
  kinds: Record<string, Record<string, string>>;
  /** Message name (`core/v1.Pod`, `meta/v1.ObjectMeta`) → fields. */
  messages: Record<string, FieldFact[]>;
}
