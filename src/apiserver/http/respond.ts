/**
 * Writing responses: JSON bodies, Status errors, and the content types clients
 * negotiated. Every error reaching the HTTP layer leaves as a `metav1.Status`.
 */
import type { ServerResponse } from 'node:http';
import { StatusError, internalError } from '../../api/status.js';
import { stringify as toYaml } from 'yaml';

/** Output encodings the API writes. */
export type OutputFormat = 'json' | 'yaml';

/** Writes `body` as JSON (or YAML) with `code`. */
export function writeObject(res: ServerResponse, code: number, body: unknown, format: OutputFormat = 'json'): void {
  const text = format === 'yaml' ? toYaml(body) : JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': format === 'yaml' ? 'application/yaml' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

/** Writes plain text (health checks). */
export function writeText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

/** Converts anything thrown to a StatusError; non-Status errors are internal errors. */
export function toStatusError(err: unknown): StatusError {
  return err instanceof StatusError ? err : internalError(err);
}

/** Writes an error as a Status; returns the HTTP code written. */
export function writeError(res: ServerResponse, err: unknown): number {
  const statusError = toStatusError(err);
  if (statusError.details?.retryAfterSeconds !== undefined && !res.headersSent) {
    res.setHeader('Retry-After', String(statusError.details.retryAfterSeconds));
  }
  if (res.headersSent) {
    res.end();
    return statusError.code;
  }
  writeObject(res, statusError.code, statusError.toStatus());
  return statusError.code;
}
