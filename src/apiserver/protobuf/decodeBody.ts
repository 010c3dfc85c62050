/**
 * Decoding a whole `application/vnd.kubernetes.protobuf` request body into the JSON
 * object a JSON body with the same content would be: apiVersion and kind from the
 * envelope, the rest from the typed message.
 */
import { messageForKind } from './catalog.js';
import { ProtobufDecodeError } from './decodeError.js';
import type { ProtobufEnvelope } from './envelope.js';
import { decodeMessage } from './messageDecoder.js';

/** The media type of Kubernetes protobuf bodies. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/**
 * The JSON object of an envelope's typed message. An envelope without apiVersion or
 * kind is read as `fallback` (the type the URL expects), when given.
 */
export function decodeEnvelope(envelope: ProtobufEnvelope, fallback?: { apiVersion: string; kind: string }): Record<string, unknown> {
  const apiVersion = envelope.apiVersion || fallback?.apiVersion || '';
  const kind = envelope.kind || fallback?.kind || '';
  if (kind === '') throw new ProtobufDecodeError("Object 'Kind' is missing in the protobuf envelope");
  const message = messageForKind(apiVersion, kind);
  if (message === undefined) throw new ProtobufDecodeError(`no protobuf schema for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}`);
  return { apiVersion, kind, ...decodeMessage(envelope.raw, message) };
}
