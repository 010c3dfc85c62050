import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiVersionOf, RESOURCES } from '../../api/resources.js';
import { fieldsOf, messageForKind, PROTOBUF_SCHEMA } from './catalog.js';
import type { ValueKind } from './schema.js';

const VALUE_KINDS: ReadonlySet<ValueKind> = new Set([
  'string', 'bytes', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'double', 'float',
  'message', 'time', 'microTime', 'duration', 'fieldsV1', 'quantity', 'intOrString', 'rawExtension',
]);

test('every served kind, subresource kind with a body and DeleteOptions has a message', () => {
  for (const info of RESOURCES) {
    const apiVersion = apiVersionOf(info.group, info.version);
    assert.ok(messageForKind(apiVersion, info.kind), `${apiVersion} ${info.kind}`);
    assert.equal(messageForKind(apiVersion, 'DeleteOptions'), 'meta/v1.DeleteOptions');
    // Connect subresources (log, exec, attach, portforward) take query options and streams, never a body.
    for (const sub of info.subresources.filter((s) => s.connect !== true)) {
      const subVersion = apiVersionOf(sub.group ?? info.group, sub.version ?? info.version);
      assert.ok(messageForKind(subVersion, sub.kind), `${subVersion} ${sub.kind}`);
    }
  }
  assert.equal(messageForKind('v1', 'constructor'), undefined);
  assert.equal(messageForKind('toString', 'Pod'), undefined);
});

test('the table is coherent: valid kinds, resolvable messages, unique numbers and JSON names', () => {
  for (const [name, fields] of Object.entries(PROTOBUF_SCHEMA.messages)) {
    assert.equal(fieldsOf(name).size, fields.length, `${name}: duplicate field numbers`);
    const jsonNames = fields.filter((f) => !f.inline).map((f) => f.json);
    assert.equal(new Set(jsonNames).size, jsonNames.length, `${name}: duplicate JSON names`);
    for (const field of fields) {
      const where = `${name} field ${field.number}`;
      assert.ok(Number.isInteger(field.number) && field.number > 0, where);
      assert.ok(VALUE_KINDS.has(field.kind), where);
      assert.equal(field.message !== undefined, field.kind === 'message', where);
      if (field.message !== undefined) assert.ok(fieldsOf(field.message), where);
      assert.equal(field.json === '', field.inline === true, where);
    }
  }
});
