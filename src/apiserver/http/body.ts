/**
 * Reading and decoding request bodies: size limit, JSON or YAML by Content-Type,
 * and the structural checks every object body must pass before a handler sees it.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../api/object.js';
import { isPlainObject } from '../../api/object.js';
import { badRequest, tooLarge, unsupportedMediaType } from '../../api/status.js';

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

const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/** Parses a JSON or YAML document; 400 with the parser's message when malformed. */
export function parseDocument(body: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
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
  throw unsupportedMediaType(type, OBJECT_MEDIA_TYPES.slice(0, 2));
}

/**
 * Decodes an object body for a resource of `expected` apiVersion and kind: it must be
 * a JSON object whose apiVersion/kind (when present) match the URL's.
 */
export function decodeObject(body: Buffer, contentType: string | undefined, expected: { apiVersion: string; kind: string }): KubeObject {
  const doc = parseDocument(body, contentType);
  if (!isPlainObject(doc)) throw badRequest('the body of the request must be a JSON object');
  const { apiVersion, kind } = doc;
  if (kind !== undefined && kind !== '' && kind !== expected.kind) {
    throw badRequest(`the object provided is unrecognized (must be of type ${expected.kind}): ${String(kind)}`);
  }
  if (apiVersion !== undefined && apiVersion !== '' && apiVersion !== expected.apiVersion) {
    throw badRequest(
      `the API version in the data (${String(apiVersion)}) does not match the expected API version (${expected.apiVersion})`,
    );
  }
  if (doc.metadata === undefined || doc.metadata === null) doc.metadata = {};
  if (!isPlainObject(doc.metadata)) throw badRequest('metadata must be an object');
  return doc as KubeObject;
}
