import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs/minimal.js';
import { openApiV2Document } from './v2Document.js';
import { servedOpenApiV2Protobuf } from './v2Protobuf.js';

/** One decoded wire field: length-delimited fields keep their bytes, varints their number. */
interface WireField {
  field: number;
  bytes?: Uint8Array;
  number?: number;
}

function decode(buffer: Uint8Array): WireField[] {
  const reader = protobuf.Reader.create(buffer);
  const fields: WireField[] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === 2) fields.push({ field, bytes: reader.bytes() });
    else if (wireType === 0) fields.push({ field, number: reader.uint32() });
    else reader.skipType(wireType);
  }
  return fields;
}

const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('utf8');
const only = (fields: WireField[], field: number): WireField[] => fields.filter((f) => f.field === field);

/** Named entries (NamedX { name = 1; value = 2 }) of a map-like message. */
function named(message: Uint8Array | undefined, field: number): Map<string, Uint8Array> {
  return new Map(only(decode(message ?? new Uint8Array()), field).map((entry) => {
    const parts = decode(entry.bytes ?? new Uint8Array());
    return [text(only(parts, 1)[0]?.bytes), only(parts, 2)[0]?.bytes ?? new Uint8Array()];
  }));
}

describe('OpenAPI v2 protobuf', () => {
  const doc = openApiV2Document();
  const top = decode(servedOpenApiV2Protobuf().body);

  test('carries the swagger version, every path and every definition of the JSON document', () => {
    assert.equal(text(only(top, 1)[0]?.bytes), doc.swagger);
    assert.deepEqual([...named(only(top, 8)[0]?.bytes, 2).keys()], Object.keys(doc.paths));
    assert.deepEqual([...named(only(top, 9)[0]?.bytes, 1).keys()], Object.keys(doc.definitions));
  });

  test('a schema keeps its description, properties and vendor extensions (as YAML)', () => {
    const pod = decode(named(only(top, 9)[0]?.bytes, 1).get('io.k8s.api.core.v1.Pod') ?? new Uint8Array());
    assert.equal(text(only(pod, 4)[0]?.bytes), doc.definitions['io.k8s.api.core.v1.Pod']?.description);
    const properties = named(only(pod, 25)[0]?.bytes, 1);
    assert.deepEqual([...properties.keys()], Object.keys(doc.definitions['io.k8s.api.core.v1.Pod']?.properties ?? {}));
    const extension = decode(only(pod, 31)[0]?.bytes ?? new Uint8Array());
    assert.equal(text(only(extension, 1)[0]?.bytes), 'x-kubernetes-group-version-kind');
    const yaml = text(only(decode(only(extension, 2)[0]?.bytes ?? new Uint8Array()), 2)[0]?.bytes);
    assert.deepEqual(JSON.parse(yaml), doc.definitions['io.k8s.api.core.v1.Pod']?.['x-kubernetes-group-version-kind']);
  });

  test('patch operations list their consumed content types', () => {
    const path = '/api/v1/namespaces/{namespace}/pods/{name}';
    const item = decode(named(only(top, 8)[0]?.bytes, 2).get(path) ?? new Uint8Array());
    const patch = decode(only(item, 8)[0]?.bytes ?? new Uint8Array());
    assert.deepEqual(only(patch, 7).map((f) => text(f.bytes)), doc.paths[path]?.patch?.consumes);
  });
});
