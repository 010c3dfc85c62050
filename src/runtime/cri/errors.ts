/**
 * Typed CRI errors: a failed call becomes a `CriError` subclass chosen by its gRPC
 * status code, so callers can `instanceof NotFoundError` instead of reading codes.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';

/** A failed CRI call; `code` is the gRPC status code, `method` the RPC name. */
export class CriError extends Error {
  constructor(readonly method: string, readonly code: number, readonly details: string) {
    super(`CRI ${method}: ${GrpcStatus[code] ?? code}: ${details}`);
    this.name = new.target.name;
  }
}

/** The sandbox, container or image does not exist (gRPC NOT_FOUND). */
export class NotFoundError extends CriError {}
/** The object already exists, e.g. a reused sandbox or container name (ALREADY_EXISTS). */
export class AlreadyExistsError extends CriError {}
/** The call's deadline passed before the runtime answered (DEADLINE_EXCEEDED). */
export class DeadlineExceededError extends CriError {}
/** The runtime cannot be reached (UNAVAILABLE). */
export class UnavailableError extends CriError {}
/** The request was refused as invalid (INVALID_ARGUMENT). */
export class InvalidArgumentError extends CriError {}
/** The runtime does not implement the call (UNIMPLEMENTED). */
export class UnimplementedError extends CriError {}

const BY_CODE: ReadonlyMap<number, typeof CriError> = new Map<number, typeof CriError>([
  [GrpcStatus.NOT_FOUND, NotFoundError],
  [GrpcStatus.ALREADY_EXISTS, AlreadyExistsError],
  [GrpcStatus.DEADLINE_EXCEEDED, DeadlineExceededError],
  [GrpcStatus.UNAVAILABLE, UnavailableError],
  [GrpcStatus.INVALID_ARGUMENT, InvalidArgumentError],
  [GrpcStatus.UNIMPLEMENTED, UnimplementedError],
]);

/** The typed error for a gRPC failure of `method` (anything without a code stays a CriError with UNKNOWN). */
export function criErrorFrom(method: string, err: unknown): CriError {
  const { code, details, message } = err as { code?: unknown; details?: unknown; message?: unknown };
  const numeric = typeof code === 'number' ? code : GrpcStatus.UNKNOWN;
  const text = typeof details === 'string' && details !== '' ? details : String(message ?? err);
  const Kind = BY_CODE.get(numeric) ?? CriError;
  return new Kind(method, numeric, text);
}
