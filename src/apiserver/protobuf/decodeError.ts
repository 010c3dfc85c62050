/** The error every protobuf body decoding failure raises; the HTTP layer turns it into a 400. */
export class ProtobufDecodeError extends Error {
  override name = 'ProtobufDecodeError';
}
