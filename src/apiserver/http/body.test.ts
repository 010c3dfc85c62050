import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StatusError } from '../../api/status.js';
import { envelope, message, newObjectMeta } from '../protobuf/testing/wireBuilder.js';
import { decodeObject, parseDocument } from './body.js';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const CONFIGMAP = { apiVersion: 'v1', kind: 'ConfigMap' };
const configMap = (apiVersion: string, kind: string): Buffer =>
  envelope(apiVersion, kind, message().message(1, (m) => newObjectMeta(m, 'cm')).stringEntry(2, 'k', 'v').finish());

const failsWith = (run: () => unknown, code: number, message: string | RegExp): void => {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof StatusError);
    assert.equal(err.code, code);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
};

describe('protobuf request bodies', () => {
  test('an object body decodes like its JSON twin', () => {
    const fromProtobuf = decodeObject(configMap('v1', 'ConfigMap'), `${PROTOBUF}; charset=binary`, CONFIGMAP);
    const fromJson = decodeObject(Buffer.from('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"k":"v"}}'), 'application/json', CONFIGMAP);
    assert.deepEqual(fromProtobuf, fromJson);
  });

  test('an envelope without type is read as the URL type', () => {
    const obj = decodeObject(configMap('', ''), PROTOBUF, CONFIGMAP);
    assert.equal(obj.kind, 'ConfigMap');
    assert.deepEqual(obj.data, { k: 'v' });
  });

  test('a type that does not match the URL gets the JSON path errors', () => {
    failsWith(() => decodeObject(configMap('v1', 'Secret'), PROTOBUF, CONFIGMAP), 400, 'the object provided is unrecognized (must be of type ConfigMap): Secret');
    failsWith(() => decodeObject(configMap('v1', 'Widget'), PROTOBUF, CONFIGMAP), 400, 'the object provided is unrecognized (must be of type ConfigMap): Widget');
    failsWith(
      () => decodeObject(configMap('apps/v1', 'ConfigMap'), PROTOBUF, CONFIGMAP),
      400,
      'the API version in the data (apps/v1) does not match the expected API version (v1)',
    );
  });

  test('malformed bodies are 400 BadRequest', () => {
    failsWith(() => decodeObject(Buffer.alloc(0), PROTOBUF, CONFIGMAP), 400, 'the request body is empty');
    failsWith(() => decodeObject(Buffer.from('{}'), PROTOBUF, CONFIGMAP), 400, /^error decoding protobuf body: the body does not start with/);
    failsWith(() => decodeObject(configMap('v1', 'ConfigMap').subarray(0, 20), PROTOBUF, CONFIGMAP), 400, /^error decoding protobuf body: malformed protobuf data/);
  });

  test('a DeleteOptions body decodes by its envelope type', () => {
    const body = envelope('v1', 'DeleteOptions', message().varint(1, 0).string(4, 'Background').finish());
    assert.deepEqual(parseDocument(body, PROTOBUF), { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, propagationPolicy: 'Background' });
  });

  test('other media types are still refused', () => {
    failsWith(() => parseDocument(Buffer.from('x'), 'text/plain'), 415, /accepted media types include: application\/json, application\/yaml, application\/vnd.kubernetes.protobuf/);
  });
});
