/**
 * Reading and decoding request bodies: size limit, JSON, YAML or Kubernetes protobuf
 * by Content-Type, and the structural checks every object body must pass before a
 * handler sees it.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../api/object.js';
import { isPlainObject } from '../../api/object.js';
import { badRequest, tooLarge, unsupportedMediaType } from '../../api/status.js';
import { decodeEnvelope, PROTOBUF_MEDIA_TYPE } from '../protobuf/decodeBody.js';
import { ProtobufDecodeError } from '../protobuf/decodeError.js';
import { readEnvelope, type ProtobufEnvelope } from '../protobuf/envelope.js';

/** Upstream's request body limit: 3 MiB. */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/** Reads the whole body; 413 when it exceeds the limit. */
export async function readBody(req: IncomingMessage, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    throw tooLarge('the request body is too large');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      req.resume();
      throw tooLarge('the request body is too large');
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', PROTOBUF_MEDIA_TYPE];

/** Runs a protobuf decoding step; its decoding errors become 400s. */
function decodingProtobuf<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw badRequest(`error decoding protobuf body: ${err.message}`);
    throw err;
  }
}

function protobufEnvelope(body: Buffer): ProtobufEnvelope {
  if (body.length === 0) throw badRequest('the request body is empty');
  return decodingProtobuf(() => readEnvelope(body));
}

/**
 * Parses a JSON, YAML or Kubernetes protobuf document (the latter into the JSON object
 * its envelope's kind has); 400 with the parser's message when malformed.
 */
export function parseDocument(body: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (type === PROTOBUF_MEDIA_TYPE) {
    const envelope = protobufEnvelope(body);
    return decodingProtobuf(() => decodeEnvelope(envelope));
  }
  const text = body.toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty');
  if (type === 'application/json' || type === '' || type.endsWith('+json')) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw badRequest(`error decoding body: ${(err as Error).message}`);
    }
  }
  if (type === 'application/yaml' || type.endsWith('+yaml') || type === 'text/yaml') {
    try {
      return parseYaml(text, { strict: true, uniqueKeys: true });
    } catch (err) {
      throw badRequest(`error decoding YAML: ${(err as Error).message}`);
    }
  }
  throw unsupportedMediaType(type, OBJECT_MEDIA_TYPES);
}

/** 400 unless a body's apiVersion and kind (when present) are the expected ones. */
function checkType(apiVersion: unknown, kind: unknown, expected: { apiVersion: string; kind: string }): void {
  if (kind !== undefined && kind !== '' && kind !== expected.kind) {
    throw badRequest(`the object provided is unrecognized (must be of type ${expected.kind}): ${String(kind)}`);
  }
  if (apiVersion !== undefined && apiVersion !== '' && apiVersion !== expected.apiVersion) {
    throw badRequest(
      `the API version in the data (${String(apiVersion)}) does not match the expected API version (${expected.apiVersion})`,
    );
  }
}

/** A protobuf object body: its envelope's type is checked before the message is decoded. */
function decodeProtobufObject(body: Buffer, expected: { apiVersion: string; kind: string }): Record<string, unknown> {
  const envelope = protobufEnvelope(body);
  checkType(envelope.apiVersion, envelope.kind, expected);
  return decodingProtobuf(() => decodeEnvelope(envelope, expected));
}

/**
 * Decodes an object body for a resource of `expected` apiVersion and kind: it must be
 * a JSON object (or a protobuf message) whose apiVersion/kind (when present) match the URL's.
 */
export function decodeObject(body: Buffer, contentType: string | undefined, expected: { apiVersion: string; kind: string }): KubeObject {
  const doc = mediaType(contentType) === PROTOBUF_MEDIA_TYPE ? decodeProtobufObject(body, expected) : parseDocument(body, contentType);
  if (!isPlainObject(doc)) throw badRequest('the body of the request must be a JSON object');
  checkType(doc.apiVersion, doc.kind, expected);
  if (doc.metadata === undefined || doc.metadata === null) doc.metadata = {};
  if (!isPlainObject(doc.metadata)) throw badRequest('metadata must be an object');
  return doc as KubeObject;
}
