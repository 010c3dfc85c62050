import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtobufDecodeError } from './decodeError.js';
import { message } from './testing/wireBuilder.js';
import { decodeWellKnown } from './wellKnown.js';

test('metav1.Duration is Go duration text', () => {
  assert.equal(decodeWellKnown('duration', message().varint(1, 90_000_000_000).finish(), 'd'), '1m30s');
  assert.equal(decodeWellKnown('duration', message().finish(), 'd'), '0s');
});

test('times: zero is absent, seconds only for Time, microseconds for MicroTime', () => {
  const stamp = (seconds: number | bigint, nanos: number): Uint8Array => message().varint(1, seconds).varint(2, nanos).finish();
  assert.equal(decodeWellKnown('time', new Uint8Array(), 't'), undefined);
  assert.equal(decodeWellKnown('time', stamp(-62135596800n, 0), 't'), undefined);
  assert.equal(decodeWellKnown('time', stamp(-1, 0), 't'), '1969-12-31T23:59:59Z');
  assert.equal(decodeWellKnown('microTime', stamp(0, 1_999), 't'), '1970-01-01T00:00:00.000001Z');
  assert.throws(() => decodeWellKnown('time', stamp(400_000_000_000, 0), 't'), ProtobufDecodeError);
});

test('IntOrString, Quantity and RawExtension', () => {
  assert.equal(decodeWellKnown('intOrString', message().varint(1, 0).varint(2, -1).finish(), 'i'), -1);
  assert.equal(decodeWellKnown('intOrString', message().varint(1, 1).string(3, '25%').finish(), 'i'), '25%');
  assert.throws(() => decodeWellKnown('intOrString', message().varint(1, 2).finish(), 'i'), /impossible IntOrString type 2/);
  assert.equal(decodeWellKnown('quantity', message().finish(), 'q'), '0');
  assert.equal(decodeWellKnown('quantity', message().string(1, '1.5Gi').finish(), 'q'), '1.5Gi');
  assert.equal(decodeWellKnown('rawExtension', message().finish(), 'r'), undefined);
  assert.throws(() => decodeWellKnown('rawExtension', message().bytes(1, Uint8Array.of(8, 1)).finish(), 'r'), /embedded document is not JSON/);
});
